"""People, their mandates on the territory tree, and what guards sign-in."""

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


class SignInGuard(models.Model):
    """Failed sign-in attempts for one phone number or account, and the lock they earn."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class OneTimeCode(models.Model):
    """A sign-in code sent by SMS. Only its hash is kept."""

    phone = models.CharField(max_length=15, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%d/%m/%Y %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
