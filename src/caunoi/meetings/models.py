"""A community meeting (cuộc họp của cộng đồng dân cư, NĐ 59/2023 Điều 3): its kind and who
convenes it (R-4.1), its agenda, documents and preparation checklist, and what was recorded on
the day: households represented, chair, secretary, voting method, and each item's result."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.models import user_ref

from . import arithmetic


class Kind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    CLUSTER = "cluster", _("Meeting of a residential cluster")
    ELECTION = "election", _("Election of the head")
    DISMISSAL = "dismissal", _("Dismissal of the head")


class Convener(models.TextChoices):
    """Who convenes and chairs (Luật THDCCS 2022 Điều 18; NĐ 59/2023 Điều 3, 7, 9)."""

    HEAD = "head", _("The head of the residential area")
    ELECTION_TEAM = "election_team", _("The election team")
    CTMT_HEAD = "ctmt_head", _("The head of the Front work committee (Trưởng ban CTMT)")
    COMMUNE_CHAIR = "commune_chair", _("The chair of the commune People's Committee")
    ASSIGNED = "assigned", _("A person assigned by the commune chair (the post is vacant)")
    # A cluster's sub-meeting (họp cụm dân cư): chaired by the person the head authorised.
    AUTHORISED = "authorised", _("A person the head authorised to chair the cluster's meeting")


class Method(models.TextChoices):
    HANDS = "hands", _("Show of hands")
    BALLOT = "ballot", _("Secret ballot")


class ItemMethod(models.TextChoices):
    """How one agenda item was voted (R-3.5.3, R-4.5: show of hands or secret ballot at the
    meeting, chosen by more than half of those present; R-4.6–4.7: household ballots when the
    meeting could not decide)."""

    HANDS = "hands", _("Show of hands")
    BALLOT = "ballot", _("Secret ballot")
    HOUSEHOLD = "household", _("Household ballots (phiếu lấy ý kiến hộ gia đình)")


# The methods a meeting held with a quorum may use for an item (household ballots follow a
# meeting without one: caunoi.meetings.ballots).
MEETING_METHODS = (ItemMethod.HANDS, ItemMethod.BALLOT)


class Status(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    INVITED = "invited", _("Invitations sent")
    OPEN = "open", _("Held: attendance recorded")
    HELD = "held", _("Held: results recorded")
    NOT_HELD = "not_held", _("Not held: no quorum")
    BALLOTED = "balloted", _("Decided by household ballot")


# The preparation checklist the head ticks (lesson 3: a meeting is as good as its preparation).
CHECKLIST = [
    ("room", _("Room booked and set up")),
    ("loudspeaker", _("Announced on the loudspeaker")),
    ("invitations", _("Invitations delivered to every household")),
    ("documents", _("Documents ready")),
    ("signin", _("Sign-in sheet printed")),
]


# A meeting whose decisions stand: held with a quorum, or decided by household ballot after it.
DECIDED = (Status.HELD, Status.BALLOTED)


class Meeting(models.Model):
    area = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("residential area"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    convener = models.CharField(
        _("convened and chaired by"), max_length=16, choices=Convener.choices
    )
    convener_name = models.CharField(_("name of the convener"), max_length=120)
    # A cluster meeting is part of the area's meeting: its counts add up into it.
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clusters",
        verbose_name=_("part of the meeting"),
    )
    # A cluster's sub-meeting: the head who authorised its chair (convener_name), and when.
    authorised_by = user_ref(blank=True, verbose_name=_("authorised by"))
    authorised_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)
    checklist = models.JSONField(default=dict, blank=True)  # {key: True} of CHECKLIST
    notice = models.ForeignKey(
        "outreach.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # On the day. The area's households are counted when attendance is recorded (the denominator
    # of the quorum and of every decision).
    households_total = models.PositiveIntegerField(_("households of the area"), null=True)
    households_present = models.PositiveIntegerField(_("households represented"), null=True)
    chair_name = models.CharField(_("chair"), max_length=120, blank=True)
    chair_for = models.PositiveIntegerField(_("in favour of the chair"), null=True)
    secretary_name = models.CharField(_("secretary"), max_length=120, blank=True)
    secretary_for = models.PositiveIntegerField(_("in favour of the secretary"), null=True)
    method = models.CharField(_("voting method"), max_length=8, choices=Method.choices, blank=True)
    method_for = models.PositiveIntegerField(_("in favour of the voting method"), null=True)
    ended_at = models.TimeField(_("ended at"), null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_scan = models.FileField(upload_to="meetings/minutes/%Y/", blank=True)
    minutes_scan_type = models.CharField(max_length=60, blank=True)
    created_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community meeting")
        verbose_name_plural = _("community meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["area", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(households_present__isnull=True)
                | Q(households_present__lte=models.F("households_total")),
                name="meeting_present_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def is_recorded(self) -> bool:
        return self.status in (Status.OPEN, Status.HELD, Status.NOT_HELD, Status.BALLOTED)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()

    @property
    def missing(self) -> list:
        """The checklist's labels not ticked yet (and "no agenda" when there is none)."""
        return [label for key, label in CHECKLIST if not self.checklist.get(key)]

    @property
    def is_cluster(self) -> bool:
        return self.kind == Kind.CLUSTER

    @property
    def quorum(self) -> arithmetic.Verdict | None:
        """None for a cluster's sub-meeting: the quorum is the whole meeting's (its clusters'
        sum)."""
        if self.is_cluster or self.households_present is None or self.households_total is None:
            return None
        return arithmetic.quorum_verdict(self.households_present, self.households_total)


class Item(models.Model):
    class Kind(models.TextChoices):
        RECORD = "record", _("For the record")
        COMMENT = "comment", _("For comment")
        DECISION = "decision", _("For decision")

    class Matter(models.TextChoices):
        """What residents decide (Luật THDCCS 2022 Điều 15)."""

        INFRASTRUCTURE = "infrastructure", _("Contributions to public works (Điều 15.1)")
        FUND = "fund", _("Contributions, funds and assets of the community (Điều 15.2)")
        CONVENTION = "convention", _("Hương ước, quy ước (Điều 15.3)")
        BOARDS = "boards", _("Electing the inspection boards (Điều 15.5)")
        CHANNELS = "channels", _("How the community is informed (Điều 13.4)")
        OTHER = "other", _("Another self-managed matter (Điều 15.6)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    matter = models.CharField(_("matter"), max_length=16, choices=Matter.choices, blank=True)
    text = models.TextField(_("what is proposed"), max_length=3000, blank=True)
    votes_for = models.PositiveIntegerField(pgettext_lazy("vote", "for"), null=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True)
    votes_abstained = models.PositiveIntegerField(_("abstained"), null=True)
    # How this item was voted; empty for an item not voted on (or recorded before the field).
    method = models.CharField(
        _("voting method"), max_length=10, choices=ItemMethod.choices, blank=True
    )
    summary = models.TextField(_("what was said"), max_length=3000, blank=True)

    # Not a column: set by the meeting's page (a question on the item through the feedback).
    question_url: str = ""

    class Meta:
        ordering = ["meeting_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="meeting_item_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def is_decision(self) -> bool:
        return self.kind == self.Kind.DECISION

    @property
    def verdict(self) -> arithmetic.Verdict | None:
        """A decision against all households of the area (R-4.6)."""
        if not self.is_decision or self.votes_for is None:
            return None
        return arithmetic.decision_verdict(self.votes_for, self.meeting.households_total or 0)

    @property
    def passed(self) -> bool:
        verdict = self.verdict
        return bool(verdict and verdict.ok and self.meeting.status in DECIDED)


class ClusterResult(models.Model):
    """One cluster's votes on an item of the meeting it is part of: the meeting's totals are the
    sum of its clusters' (caunoi.meetings.clusters)."""

    cluster = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cluster_results")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="cluster_results")
    votes_for = models.PositiveIntegerField(pgettext_lazy("vote", "for"))
    votes_against = models.PositiveIntegerField(_("against"))
    votes_abstained = models.PositiveIntegerField(_("abstained"))

    class Meta:
        ordering = ["cluster_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "item"], name="one_result_per_cluster_item"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.item_id}"


class Document(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    file = models.FileField(upload_to="meetings/documents/%Y/")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = user_ref(on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """A household ticked as represented (when the head ticks the list rather than typing the
    count from the paper sheet)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    household = models.ForeignKey("territory.Household", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "household"], name="one_attendance_per_household"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.household_id}"


class Ballot(models.Model):
    """The household ballot after a meeting without quorum (phát phiếu lấy ý kiến hộ gia đình):
    one slip per household with a one-time code, a closing date, the result against all
    households, and the day the decision went to the commune (R-4.7)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="ballot")
    closes_on = models.DateField(_("closing date"))
    households_total = models.PositiveIntegerField()
    opened_by = user_ref()
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    reported_on = models.DateField(_("sent to the commune on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.meeting} ({self.closes_on:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Slip(models.Model):
    """A household's ballot slip: its code's hash, and its answers once given (once)."""

    class Answer(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("No opinion")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="slips")
    household = models.ForeignKey("territory.Household", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    answers = models.JSONField(default=dict, blank=True)  # {item pk: Answer}
    answered_at = models.DateTimeField(null=True, blank=True)
    entered_by = user_ref(on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "household"], name="one_slip_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.household_id}"
