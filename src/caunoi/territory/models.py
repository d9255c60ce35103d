"""The territory tree, with history.

`Unit` is the lasting identity of an administrative unit or residential area, keyed by its code
(GSO codes for province, district and commune; Cầu Nối codes for areas) and holding its *current*
name and parent for fast reads. `UnitVersion` keeps every state the unit has had, with validity
dates, so the tree can be read as of any day. `Restructuring` records the legal act (merge, split,
rename, move, …) that ended some versions and started others.

Dates: `valid_from` inclusive, `valid_to` exclusive (the day the change took effect). A retired unit
has `valid_to` set; its code is never given to another unit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.models import user_ref


class Level(models.IntegerChoices):
    """The levels of the tree. In URLs a level is its Vietnamese prefix: /tinh/25/, /xa/08119/."""

    PROVINCE = 1, _("Province")
    DISTRICT = 2, _("District")
    COMMUNE = 3, _("Commune")
    AREA = 4, _("Residential area")

    @property
    def prefix(self) -> str:
        return LEVEL_PREFIX[self]

    @classmethod
    def from_prefix(cls, prefix: str) -> "Level":
        return PREFIX_LEVEL[prefix]


LEVEL_PREFIX = {
    Level.PROVINCE: "tinh",
    Level.DISTRICT: "huyen",
    Level.COMMUNE: "xa",
    Level.AREA: "khu",
}
PREFIX_LEVEL = {prefix: level for level, prefix in LEVEL_PREFIX.items()}


class Kind(models.TextChoices):
    PROVINCE = "tinh", _("Province")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    URBAN_DISTRICT = "quan", _("Urban district")
    RURAL_DISTRICT = "huyen", _("Rural district")
    CITY = "thanh_pho", _("Provincial city")
    TOWN = "thi_xa", _("Town")
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    TOWNSHIP = "thi_tran", _("Township")
    SPECIAL_ZONE = "dac_khu", _("Special zone")
    AREA = "khu_dan_cu", _("Residential area")


KIND_LEVEL = {
    Kind.PROVINCE: Level.PROVINCE,
    Kind.CENTRAL_CITY: Level.PROVINCE,
    Kind.URBAN_DISTRICT: Level.DISTRICT,
    Kind.RURAL_DISTRICT: Level.DISTRICT,
    Kind.CITY: Level.DISTRICT,
    Kind.TOWN: Level.DISTRICT,
    Kind.COMMUNE: Level.COMMUNE,
    Kind.WARD: Level.COMMUNE,
    Kind.TOWNSHIP: Level.COMMUNE,
    Kind.SPECIAL_ZONE: Level.COMMUNE,
    Kind.AREA: Level.AREA,
}


class AreaType(models.TextChoices):
    """What the community calls its residential area; shown before the name or number."""

    KHU = "khu", "Khu"
    THON = "thon", "Thôn"
    XOM = "xom", "Xóm"
    BAN = "ban", "Bản"
    LANG = "lang", "Làng"
    AP = "ap", "Ấp"
    PHUM = "phum", "Phum"
    SOC = "soc", "Sóc"
    BUON = "buon", "Buôn"
    PLEI = "plei", "Plei"
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
    KHU_PHO = "khu_pho", "Khu phố"
    KHOI_PHO = "khoi_pho", "Khối phố"
    KHU_DAN_CU = "khu_dan_cu", "Khu dân cư"


class Unit(models.Model):
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("territory", "level"), choices=Level.choices
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    area_type = models.CharField(
        _("area type"), max_length=16, choices=AreaType.choices, blank=True
    )
    name = models.CharField(_("full name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    # "/<province id>/<district id>/<commune id>/<area id>/": subtree reads are one prefix match.
    path = models.CharField(max_length=80, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False)
    # Active households of an area, kept by the territory services in the writer's transaction, so
    # that a province's total is a sum over its areas instead of a count over every household.
    household_count = models.PositiveIntegerField(_("households"), default=0, editable=False)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unit_code_unique_per_level"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("territory:unit", args=[self.url_prefix, self.code])

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    @property
    def url_prefix(self) -> str:
        return Level(self.level).prefix

    # For templates, instead of comparing `unit.level` with a number.
    @property
    def is_province(self) -> bool:
        return self.level == Level.PROVINCE

    @property
    def is_district(self) -> bool:
        return self.level == Level.DISTRICT

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE

    @property
    def is_area(self) -> bool:
        return self.level == Level.AREA

    def lineage(self) -> list["Unit"]:
        """From the province down to this unit, for breadcrumbs (one query)."""
        by_id = Unit.objects.in_bulk(self.ancestor_ids)
        return [*(by_id[i] for i in self.ancestor_ids if i in by_id), self]


class Restructuring(models.Model):
    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Establishment")
        MERGE = "merge", _("Merger")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Renaming")
        MOVE = "move", _("Transfer to another unit")
        RECLASSIFY = "reclassify", _("Change of kind")
        DISSOLVE = "dissolve", _("Dissolution")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_authority = models.CharField(_("issued by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(Unit, related_name="restructurings_out", blank=True)
    results = models.ManyToManyField(Unit, related_name="restructurings_in", blank=True)
    created_by = user_ref(on_delete=models.SET_NULL, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y} {self.decision_number}"


class UnitVersion(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    area_type = models.CharField(max_length=16, choices=AreaType.choices, blank=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(
        Restructuring, on_delete=models.PROTECT, null=True, blank=True, related_name="started"
    )
    ended_by = models.ForeignKey(
        Restructuring, on_delete=models.PROTECT, null=True, blank=True, related_name="ended"
    )

    class Meta:
        ordering = ["unit_id", "valid_from"]
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of(cls, unit: Unit, *, parent=None, valid_from=None, started_by=None) -> "UnitVersion":
        """A (not yet saved) version holding the unit's current names and kind."""
        return cls(
            unit=unit,
            kind=unit.kind,
            area_type=unit.area_type,
            name=unit.name,
            short_name=unit.short_name,
            parent=parent if parent is not None else unit.parent,
            valid_from=valid_from,
            started_by=started_by,
        )


class Household(models.Model):
    area = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("residential area"),
    )
    code = models.CharField(_("household code"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=120, blank=True)
    representative_phone = models.CharField(_("representative's phone"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)
    members = models.PositiveSmallIntegerField(_("number of members"), default=1)
    is_active = models.BooleanField(_("still living here"), default=True)
    search_key = models.CharField(max_length=400, editable=False, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area_id", "code"]
        indexes = [models.Index(fields=["area", "is_active"])]
        constraints = [
            models.CheckConstraint(condition=Q(members__gte=1), name="household_has_members"),
        ]

    def __str__(self) -> str:
        return self.code


class ImportJob(models.Model):
    """An uploaded territory or household list imported in the background (a Celery task reached
    through the outbox), or checked there first: the file itself, what the officer chose, how
    far the worker has got, and the importer's report once it has finished."""

    class Kind(models.TextChoices):
        UNITS = "units", _("administrative units")
        AREAS = "areas", _("residential areas and households")

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        REFUSED = "refused", _("refused: nothing was saved")
        FAILED = "failed", _("failed: nothing was saved")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="import_jobs")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    file_name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(editable=False)  # emptied once the import has been applied
    # decision (effective date, number, date as ISO text), mapping {old: new}, dry_run
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the import that applied this checked one (a second confirmation goes to the same one)
    applied_as = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="checked_as"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED)

    @property
    def dry_run(self) -> bool:
        return bool(self.options.get("dry_run"))
