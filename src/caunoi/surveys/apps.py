from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RUN = "surveys.run"  # open campaigns, issue codes, import responses
ENTER = "surveys.enter"  # type paper sheets
RESULTS = "surveys.results"  # read aggregate results (areas under 5 responses stay hidden)


class SurveysConfig(AppConfig):
    name = "caunoi.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from caunoi.core import access
        from caunoi.people.models import Role

        officers = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER, Role.SYSADMIN)
        access.grant(RUN, *officers)
        access.grant(ENTER, *officers)
        access.grant(RESULTS, *officers, Role.DISTRICT_OFFICER, Role.HEAD, Role.DEPUTY_HEAD)
