from django.contrib import admin
from django.urls import include, path

from caunoi.accounts import views as accounts_views
from caunoi.core import views as core_views

handler403 = "caunoi.core.views.error_403"
handler404 = "caunoi.core.views.error_404"
handler500 = "caunoi.core.views.error_500"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/all", core_views.healthz_all, name="healthz_all"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("caunoi.api.urls")),
    # The admin signs in only through the site's password sign-in (its lock, its change log).
    path("quan-tri/login/", accounts_views.admin_signin, name="admin_signin"),
    path("quan-tri/", admin.site.urls),
    path("", include("caunoi.directives.urls")),
    path("open311/v2/", include("caunoi.feedback.open311.urls")),
    path("", include("caunoi.feedback.urls")),
    path("", include("caunoi.surveys.urls")),
    path("", include("caunoi.reports.urls")),
    path("", include("caunoi.accounts.urls")),
    path("", include("caunoi.people.urls")),
    path("", include("caunoi.funds.urls")),
    path("", include("caunoi.meetings.urls")),
    path("", include("caunoi.elections.urls")),
    path("", include("caunoi.outreach.urls")),
    path("", include("caunoi.territory.urls")),
    path("", include("caunoi.core.urls")),
]
