"""People, their mandates on the territory tree, heads' profiles, training and allowances.

`Person` is `AUTH_USER_MODEL` and stays here (see `caunoi.accounts`, which holds how a person signs
in: one-time codes, API tokens)."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.territory.models import Level


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username=None, password=None, **fields):
        person = self.model(username=username or None, **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, username, password, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: officials (username or phone + password), heads and residents (phone +
    one-time code)."""

    username = models.CharField(_("username"), max_length=60, unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_public = models.BooleanField(_("agrees to show the phone number publicly"), default=False)
    language = models.CharField(_("language"), max_length=8, default="vi")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username or self.phone or str(self.pk)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else ""


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident (household representative)")
    HEAD = "head", _("Head of residential area")
    DEPUTY_HEAD = "deputy_head", _("Deputy head")
    INSPECTOR = "inspector", _("Inspection board member")
    TREASURER = "treasurer", _("Treasurer (keeper of the area's funds)")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_LEADER = "commune_leader", _("Commune leader")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    SYSADMIN = "sysadmin", _("System administrator")


# The level of the tree each role is held on (a system administrator holds it on a province or on
# no unit at all, meaning everywhere).
ROLE_LEVEL = {
    Role.RESIDENT: Level.AREA,
    Role.HEAD: Level.AREA,
    Role.DEPUTY_HEAD: Level.AREA,
    Role.INSPECTOR: Level.AREA,
    Role.TREASURER: Level.AREA,
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.COMMUNE_LEADER: Level.COMMUNE,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.PROVINCE_OFFICER: Level.PROVINCE,
}


class TermState(models.TextChoices):
    """How a head holds the post (TT 04/2012 as amended by TT 14/2018; NĐ 59/2023 Điều 9)."""

    ELECTED = "elected", _("Elected")
    TEMPORARY = "temporary", _("Temporary (appointed while the post is vacant)")
    EXTENDED = "extended", _("Term extended by decision")


class MandateQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gt=day))


class Mandate(models.Model):
    """A role held on a node of the territory tree for a period (end exclusive)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("unit"),
    )
    household = models.ForeignKey(
        "territory.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("household"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Heads and deputies: how the post is held, and the end of the term (2.5 or 5 years from the
    # election, HEAD_TERM_MONTHS) unless extended by decision.
    term_state = models.CharField(
        _("how the post is held"), max_length=10, choices=TermState.choices, blank=True
    )
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    extension_number = models.CharField(_("extension decision number"), max_length=80, blank=True)
    extension_date = models.DateField(_("extension decision date"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["unit", "role", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="mandate_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.unit}"


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Education(models.TextChoices):
    """General education (no minimum is required of a head: TT 04/2012 Điều 11)."""

    PRIMARY = "primary", _("Primary school")
    LOWER = "lower", _("Lower secondary")
    UPPER = "upper", _("Upper secondary")


class Qualification(models.TextChoices):
    NONE = "none", _("None")
    VOCATIONAL = "vocational", _("Vocational")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "so_cap", _("Basic (sơ cấp)")
    INTERMEDIATE = "trung_cap", _("Intermediate (trung cấp)")
    ADVANCED = "cao_cap", _("Advanced (cao cấp)")


class HeadProfile(models.Model):
    """What the province studies about its heads (and deputies): the figures of the Phú Thọ
    review. Kept by the commune; never public (only the phone, with consent, on Person)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="head_profile")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    party_member = models.BooleanField(_("party member"), default=False)
    party_cell_secretary = models.BooleanField(_("also party-cell secretary"), default=False)
    front_head = models.BooleanField(_("also head of the Front committee"), default=False)
    other_posts = models.CharField(_("other concurrent posts"), max_length=200, blank=True)
    education = models.CharField(
        _("general education"), max_length=10, choices=Education.choices, blank=True
    )
    qualification = models.CharField(
        _("professional qualification"), max_length=12, choices=Qualification.choices, blank=True
    )
    political_theory = models.CharField(
        _("political theory"), max_length=10, choices=PoliticalTheory.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("head's profile")
        verbose_name_plural = _("heads' profiles")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def concurrent(self) -> bool:
        return self.party_cell_secretary or self.front_head or bool(self.other_posts)

    def age_in(self, year: int) -> int | None:
        return year - self.birth_year if self.birth_year else None


class Training(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(
        _("provider"), max_length=200, help_text=_("e.g. the provincial Political School")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.course


class AreaCategory(models.TextChoices):
    """NĐ 33/2023 Điều 34 k2: larger or special areas get a larger allowance fund."""

    LARGE = "large", _("Large or special area")
    OTHER = "other", _("Other area")


class Post(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    PARTY_SECRETARY = "party_secretary", _("Party-cell secretary")
    FRONT_HEAD = "front_head", _("Head of the Front committee")


class AllowanceRate(models.Model):
    """A monthly allowance set by the province (its People's Council resolution): amounts are data,
    never literals in code. The latest rate in effect on a day applies."""

    province = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="allowance_rates"
    )
    effective_from = models.DateField(_("in effect from"))
    area_category = models.CharField(_("area category"), max_length=8, choices=AreaCategory.choices)
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    concurrent = models.BooleanField(_("holding another paid post too"), default=False)
    amount = models.PositiveIntegerField(_("monthly amount (đồng)"))
    basis = models.CharField(_("legal basis"), max_length=200)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-effective_from", "post", "area_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "effective_from", "area_category", "post", "concurrent"],
                name="allowance_rate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {self.amount}"


class DelegationKind(models.TextChoices):
    """The kinds of work a head may hand to a helper. A permission says which kinds carry it
    (`Permission(..., delegable=(...))`); what no kind carries stays the head's own."""

    PROGRESS = "progress", _("Report progress on the commune's tasks")
    PUBLISH = "publish", _("Write and publish notices")
    CONTRIBUTIONS = "contributions", _("Record contributions")
    ANSWERS = "answers", _("Answer residents' questions")


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Confirmed, not ended, within its period, and the head's mandate still running."""
        day = on or timezone.localdate()
        return self.filter(
            Q(confirmed_at__isnull=False),
            Q(ended_at__isnull=True),
            Q(start__lte=day),
            Q(end__gt=day),
            Q(mandate__start__lte=day),
            Q(mandate__end__isnull=True) | Q(mandate__end__gt=day),
        )


class Delegation(models.Model):
    """A head names a helper for some kinds of work on the head's area for a period (end
    exclusive), confirmed with a one-time code to the head's phone. While active the helper holds
    the head's role there for those kinds only (`people.access`), and each write is audited as
    the helper's for the head."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="delegations")
    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations_given")
    helper = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_held", verbose_name=_("helper")
    )
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    # The DelegationKind values, comma-separated (read with the mandates in one query).
    kinds = models.CharField(_("kinds of work"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.helper} → {self.head} ({self.area_id})"

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]

    def kind_labels(self) -> list[str]:
        return [str(DelegationKind(k).label) for k in self.kind_list if k in DelegationKind.values]

    def is_active(self, on=None) -> bool:
        day = on or timezone.localdate()
        return (
            self.confirmed_at is not None
            and self.ended_at is None
            and self.start <= day < self.end
            and self.mandate.start <= day
            and (self.mandate.end is None or day < self.mandate.end)
        )
