"""Survey forms, campaigns over a territory, anonymous responses and the counts results are read
from.

Privacy by construction: a Response keeps its area, its answers and the day it came, never a
person or a household. One response per household is enforced by a Ballot: a keyed hash
(HMAC-SHA256 with SURVEY_HASH_KEY, a secret of the servers, never in the database) of the campaign
and the household, unique per campaign. Heads and communes, who can read the database tables of
their ground through the app, cannot turn a ballot back into a household without that key, and
nothing links a ballot to its response.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import user_ref
from caunoi.territory import rollup

from . import xlsform


class Form(models.Model):
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField(_("definition"))
    builtin = models.BooleanField(_("built in"), default=False)
    created_by = user_ref(on_delete=models.SET_NULL, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey form")
        verbose_name_plural = _("survey forms")
        ordering = ["-builtin", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def questions(self) -> list[dict]:
        return self.definition["questions"]

    def question(self, name: str) -> dict | None:
        return next((q for q in self.questions if q["name"] == name), None)

    def choices(self, question: dict) -> list[dict]:
        """All the question's choices (a choice_filter unapplied), "other" last with or_other."""
        items = list(self.definition["choices"].get(question.get("list") or "", []))
        if question.get("or_other"):
            items.append({"name": xlsform.OTHER, "label": dict(xlsform.OTHER_LABEL)})
        return items

    def text(self, texts: dict, lang: str) -> str:
        return xlsform.text_for(texts, lang, self.definition["default_language"])


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="campaigns")
    unit = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_campaigns",
        verbose_name=_("territory"),
        help_text=_("Empty: the whole country."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until (inclusive)"))
    target = models.PositiveIntegerField(_("target number of responses"), default=0)
    min_per_area = models.PositiveSmallIntegerField(_("at least per area"), default=1)
    named = models.BooleanField(
        _("named consultation"),
        default=False,
        help_text=_("Named: respondents give their name. Leave unticked for an anonymous survey."),
    )
    double_entry = models.BooleanField(_("paper sheets entered twice"), default=False)
    created_by = user_ref(on_delete=models.SET_NULL, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="campaign_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign", args=[self.pk])

    @property
    def scope_path(self) -> str:
        """The territory's path ("" for a national campaign: every path starts with it)."""
        return self.unit.path if self.unit is not None else ""

    def covers(self, unit) -> bool:
        """The unit lies in the campaign's territory (the territory itself included)."""
        return unit.path.startswith(self.scope_path)

    def is_open(self, day) -> bool:
        return self.start <= day <= self.end


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper sheet")
    IMPORT = "import", _("Import")


class Response(models.Model):
    """One household's answers: no person, no household, only the area and the day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    respondent_name = models.CharField(max_length=120, blank=True)  # named campaigns only
    received_on = models.DateField()
    # The form's metadata start, end and today as they came (XLSForm: when the form was opened,
    # sent, and the day), {name: ISO text}; never who or which device answered.
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "area"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.area_id}/{self.pk}"


class Ballot(models.Model):
    """That a household has answered: a keyed hash, unique per campaign, nothing else."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ballots")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="ballot_once_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.key[:8]}"


class Invitation(models.Model):
    """A one-time code given to a household (on a slip or by SMS). Only the code's hash is kept,
    with the household's keyed hash and its area."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    key = models.CharField(max_length=64)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.area_id}/{self.code_hash[:8]}"


@rollup.fact  # re-keyed when its area moves (territory restructurings)
class Tally(models.Model):
    """How many responses of an area chose a choice of a question (question "" counts the
    responses themselves). Results are sums of tallies, so a province page reads thousands of
    rows, not millions of responses. The area's commune, district and province are the roll-up's
    level keys (`rollup.ground_ids`)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    province = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    path = models.CharField(max_length=80)
    question = models.CharField(max_length=64)
    choice = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "area", "question", "choice"], name="tally_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.question}={self.choice}: {self.count}"


class PaperEntry(models.Model):
    """A paper sheet typed by a clerk, kept while it waits for its second typing (double entry);
    a mismatch stays flagged until an officer types it a third time."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the second entry")
        MISMATCH = "mismatch", _("The two entries differ")
        DONE = "done", _("Counted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="paper_entries")
    sheet = models.CharField(_("sheet number"), max_length=20)
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    second = models.JSONField(null=True, blank=True)
    code = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    entered_by = user_ref(on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "sheet"], name="paper_sheet_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.sheet}"
