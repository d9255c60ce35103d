"""The election of a head (NĐ 59/2023 Điều 6–8) from the commune's decision to its recognition,
and a head leaving office (Điều 9). The election meeting is a `meetings.Meeting` of kind
election: its households represented and quorum are the meeting's; the ballots and votes are
counted here."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import user_ref


class Reason(models.TextChoices):
    TERM_END = "term_end", _("The head's term ends")
    VACANCY = "vacancy", _("The post is vacant")
    NEW_AREA = "new_area", _("A new residential area")
    RE_ELECTION = "re_election", _("Re-election after a round without a winner")


class Status(models.TextChoices):
    DECIDED = "decided", _("Decided by the commune")
    PUBLISHED = "published", _("Candidate list published")
    ELECTED = "elected", _("Held: a head was elected")
    FAILED = "failed", _("Held: nobody elected")
    NOT_HELD = "not_held", _("Not held: no quorum")
    RECOGNISED = "recognised", _("Recognised by the commune chair")


class Election(models.Model):
    area = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="elections",
        verbose_name=_("residential area"),
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_round"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DECIDED)
    # The commune's decision and its timeline.
    decision_number = models.CharField(_("decision number"), max_length=80)
    decided_on = models.DateField(_("decided on"))
    team_on = models.DateField(_("election team set up on"))
    notice_on = models.DateField(_("announced to residents on"))
    list_due_on = models.DateField(_("candidate list due at the commune on"))
    election_day = models.DateField(_("election day"))
    team_leader = models.CharField(_("leader of the election team"), max_length=120)
    team_members = models.TextField(_("members of the election team"), max_length=2000, blank=True)
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="election"
    )
    published_on = models.DateField(_("candidate list published on"), null=True, blank=True)
    # The count. Households of the area and represented are the meeting's.
    counting_board = models.TextField(_("counting board"), max_length=1000, blank=True)
    board_for = models.PositiveIntegerField(null=True, blank=True)
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    ballots_returned = models.PositiveIntegerField(_("ballots returned"), null=True, blank=True)
    ballots_valid = models.PositiveIntegerField(_("valid ballots"), null=True, blank=True)
    ballots_invalid = models.PositiveIntegerField(_("invalid ballots"), null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(
        "Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The commune chair's recognition, which starts the head's mandate.
    recognition_number = models.CharField(
        _("recognition decision number"), max_length=80, blank=True
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognised_by = models.CharField(_("signed by"), max_length=120, blank=True)
    mandate = models.ForeignKey(
        "people.Mandate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("election of the head")
        ordering = ["-election_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ballots_valid__isnull=True)
                | Q(ballots_returned=models.F("ballots_valid") + models.F("ballots_invalid")),
                name="election_ballots_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.election_day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("elections:election", args=[self.pk])

    @property
    def is_counted(self) -> bool:
        return self.status in (Status.ELECTED, Status.FAILED, Status.NOT_HELD, Status.RECOGNISED)

    @property
    def households_total(self) -> int:
        return self.meeting.households_total or self.area.household_count


class Candidate(models.Model):
    class Nominated(models.TextChoices):
        CTMT = "ctmt", _("On the Front work committee's list (agreed with the party cell)")
        NOMINATED = "nominated", _("Nominated at the meeting")
        SELF = "self", _("Self-nominated at the meeting")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    full_name = models.CharField(_("full name"), max_length=120)
    phone = models.CharField(_("phone number"), max_length=15)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    nominated = models.CharField(_("nominated by"), max_length=10, choices=Nominated.choices)
    # Eligibility (TT 04/2012 Điều 11) as ticked by the commune: {key: True}.
    eligibility = models.JSONField(default=dict, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)

    class Meta:
        ordering = ["election_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "phone"], name="one_candidacy_per_phone"),
        ]

    def __str__(self) -> str:
        return self.full_name


# Eligibility of a head (TT 04/2012 Điều 11; reference/domain.md §2.1), the age checked from the
# year of birth against people.policy.HEAD_MIN_AGE.
ELIGIBILITY = [
    ("residence", _("Permanent residence registered and living regularly in the area")),
    ("health", _("In good health, enthusiastic and responsible")),
    ("conduct", _("Good political and moral qualities, trusted by residents")),
    ("ability", _("Able and experienced in mobilising residents")),
]


class Leaving(models.Model):
    """A head leaving office (cho thôi làm, NĐ 59/2023 Điều 9): the ground, the meeting that
    decides and the commune's decision that ends the mandate."""

    class Ground(models.TextChoices):
        RESIGNATION = "resignation", _("The head's resignation letter")
        PROPOSAL = "proposal", _("A proposal of the Trưởng ban CTMT on the listed grounds")
        PETITION = "petition", _("A petition of the households")

    class State(models.TextChoices):
        STARTED = "started", _("Meeting to be held")
        AGREED = "agreed", _("The meeting agreed")
        REFUSED = "refused", _("The meeting did not agree")
        DECIDED = "decided", _("Ended by the commune's decision")

    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey("people.Mandate", on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("ground"), max_length=12, choices=Ground.choices)
    text = models.TextField(_("reason"), max_length=2000)
    petition_households = models.PositiveIntegerField(null=True, blank=True)
    households_total = models.PositiveIntegerField()
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="leaving"
    )
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STARTED)
    decision_number = models.CharField(max_length=80, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.area} — {self.get_ground_display()}"

    def get_absolute_url(self) -> str:
        return reverse("elections:leaving", args=[self.pk])
