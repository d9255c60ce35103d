"""Community funds of a residential area: the decisions behind them, contribution campaigns,
contributions with receipts, expenses with a second approver, and the append-only ledger.

The ledger (`Entry`) is the money's one truth. Each entry carries the fund's running balance and a
SHA-256 hash over its canonical content and the previous entry's hash (`caunoi.funds.chain`), so an
edited row is detected and pointed at. Entries are never edited or deleted: the model, its
querysets and the admin refuse; a correction is a reversing entry.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import user_ref
from caunoi.meetings import arithmetic
from caunoi.territory import rollup


class Decision(models.Model):
    """What the residents decided (Luật THDCCS 2022 Điều 15 khoản 2): at a community meeting or by
    household ballot, with the households in favour out of all households of the area."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("Community meeting (minutes)")
        BALLOT = "ballot", _("Household ballot")

    area = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="fund_decisions"
    )
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"))
    method = models.CharField(_("how it was decided"), max_length=10, choices=Method.choices)
    subject = models.CharField(_("what was decided"), max_length=300)
    households_in_favour = models.PositiveIntegerField(_("households in favour"))
    households_total = models.PositiveIntegerField(_("households in the area"))
    # The agenda item of a meeting recorded on Cầu Nối that passed it; empty for a decision made
    # before Cầu Nối, typed in from its paper minutes (and shown as such).
    meeting_item = models.OneToOneField(
        "meetings.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_decision",
        verbose_name=_("decision of the meeting"),
    )
    recorded_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="fund_decision_number_unique"),
            models.CheckConstraint(
                condition=Q(households_in_favour__lte=models.F("households_total")),
                name="fund_decision_favour_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"

    @property
    def share_in_favour(self) -> float:
        return self.households_in_favour / self.households_total if self.households_total else 0

    @property
    def passed(self) -> bool:
        # One rule for every residents' decision: the meetings' (exact: no float rounding).
        return arithmetic.decision_passed(self.households_in_favour, self.households_total)

    @property
    def is_typed(self) -> bool:
        """Typed in from paper minutes of a decision made before Cầu Nối."""
        return self.meeting_item_id is None


@rollup.fact
class Fund(models.Model):
    class Kind(models.TextChoices):
        STUDY = "study", _("Study promotion fund")
        POOR = "poor", _("Fund for the poor")
        WORKS = "works", _("Public works (roads, cultural house)")
        SOCIAL = "social", _("Social and charity fund")
        OTHER = "other", _("Other fund")

    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="funds")
    # The area's level keys (`rollup.ground_keys`): the overview of a commune, district or
    # province is one equality match on them; restructurings re-key them.
    commune = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(  # None in two-level Vietnam (since 1 July 2025)
        "territory.Unit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    province = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=400)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kept_funds",
        verbose_name=_("keeper"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("decision that created it"),
    )
    # Where transfers go (VietQR): data, per fund.
    bank_bin = models.CharField(_("bank BIN (NAPAS)"), max_length=6, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=60, blank=True)
    # The chain's tip, kept on the fund row: writers lock this row, so entries of one fund are
    # appended one at a time (no fork), whatever the number of app servers.
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    last_hash = models.CharField(max_length=64, blank=True, editable=False)
    balance = models.BigIntegerField(default=0, editable=False)
    last_entry_on = models.DateField(null=True, blank=True, editable=False)
    receipts_issued = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["area_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", args=[self.area.code, self.pk])

    @property
    def can_receive_transfers(self) -> bool:
        return bool(self.bank_bin and self.bank_account)


class Campaign(models.Model):
    class Level(models.TextChoices):
        PER_HOUSEHOLD = "household", _("Per household")
        PER_PERSON = "person", _("Per person")
        VOLUNTARY = "voluntary", _("Voluntary")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    amount = models.PositiveBigIntegerField(
        _("amount (per household or per person)"), null=True, blank=True
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("decision")
    )
    reference = models.CharField(max_length=8, editable=False)  # short code in transfer purposes
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution campaign")
        verbose_name_plural = _("contribution campaigns")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    def due_for(self, household) -> int:
        if self.level == self.Level.PER_HOUSEHOLD:
            return self.amount or 0
        if self.level == self.Level.PER_PERSON:
            return (self.amount or 0) * household.members
        return 0


class Exemption(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exemptions")
    household = models.ForeignKey(
        "territory.Household", on_delete=models.PROTECT, related_name="fund_exemptions"
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="exemption_once_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.reason}"


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly

    def delete(self):
        raise LedgerIsAppendOnly

    def bulk_update(self, *args, **kwargs):
        raise LedgerIsAppendOnly


class LedgerIsAppendOnly(Exception):
    """Raised by any attempt to change or remove a posted ledger entry."""


class AppendOnly(models.Model):
    """A row written once: saving it again or deleting it raises `LedgerIsAppendOnly` (and its
    queryset refuses updates and deletes: `EntryQuerySet`)."""

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly


class Entry(AppendOnly):
    """One line of a fund's ledger: income (+) or spending (−), never changed after it is posted."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        INCOME = "income", _("Other income")
        EXPENSE = "expense", _("Expense")
        REVERSAL = "reversal", _("Correction (reversing entry)")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField()  # signed: + income, − spending
    balance = models.BigIntegerField()  # the fund's balance after this entry
    booked_on = models.DateField()
    description = models.CharField(max_length=300)
    household_ref = models.CharField(max_length=32, blank=True)  # public: household code only
    document = models.CharField(max_length=40, blank=True)  # receipt number or expense number
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    seal = models.CharField(max_length=64)  # HMAC of fund, seq and hash under LEDGER_KEY
    recorded_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["fund_id", "seq"]
        constraints = [
            # Two writers that both believed they appended entry n: the second one fails here.
            models.UniqueConstraint(fields=["fund", "seq"], name="entry_one_per_seq"),
            models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero"),
        ]
        indexes = [models.Index(fields=["fund", "booked_on"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.description}"


class Checkpoint(AppendOnly):
    """A tip of a fund's chain that left the database: printed on a published statement or poster
    (entry number and hash). Append-only like the ledger; the paper is the real anchor, this row
    lets the public page say whether today's ledger still agrees with every published paper."""

    class Medium(models.TextChoices):
        STATEMENT = "statement", _("Statement (công khai thu – chi)")
        POSTER = "poster", _("Poster")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="checkpoints")
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    balance = models.BigIntegerField()
    medium = models.CharField(max_length=10, choices=Medium.choices)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["fund_id", "-seq"]
        constraints = [
            # the first publication of a tip is the one that counts
            models.UniqueConstraint(fields=["fund", "seq"], name="checkpoint_one_per_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} #{self.seq}"


def _receipt_token() -> str:
    return secrets.token_urlsafe(12)


class Contribution(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash, to the head or treasurer")
        TRANSFER = "transfer", _("Bank transfer")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="contributions")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    household = models.ForeignKey(
        "territory.Household", on_delete=models.PROTECT, related_name="contributions"
    )
    amount = models.PositiveBigIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    paid_on = models.DateField()
    payer_name = models.CharField(max_length=120, blank=True)
    receipt_number = models.CharField(max_length=20)
    token = models.CharField(max_length=32, unique=True, default=_receipt_token, editable=False)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="contribution")
    recorded_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "receipt_number"], name="contribution_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number

    def get_absolute_url(self) -> str:
        return reverse("funds:receipt", args=[self.token])


class Expense(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="expenses")
    number = models.PositiveIntegerField(editable=False)
    amount = models.PositiveBigIntegerField(_("amount"))
    payee = models.CharField(_("paid to"), max_length=120)
    purpose = models.CharField(_("what for"), max_length=300)
    spent_on = models.DateField(_("date"))
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("decision that authorises it"),
    )
    invoice = models.FileField(upload_to="funds/invoices/%Y/%m/", blank=True)
    invoice_type = models.CharField(max_length=80, blank=True)
    # The copy the public sees: the photo with the parts that carry personal data covered (the
    # keeper ticks cells of a 4×4 grid). The original stays for the keepers, the inspection board
    # and the officers above.
    invoice_public = models.FileField(upload_to="funds/invoices/public/%Y/%m/", blank=True)
    covered = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = user_ref()
    decided_by = user_ref(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="expense"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="expense_number_unique"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="expense_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("recorded_by")),
                name="expense_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"C{self.number:04d} {self.purpose}"

    @property
    def document(self) -> str:
        return f"C{self.number:04d}"
