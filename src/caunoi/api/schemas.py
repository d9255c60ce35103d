"""The shapes the API reads and returns (they make the OpenAPI schema)."""

import datetime
from enum import Enum, StrEnum

from ninja import Field, Schema

from caunoi.people.models import Role
from caunoi.territory.models import Level


class LevelName(StrEnum):
    """A level of the tree, named in English in URLs: /units/commune/08119."""

    province = "province"
    district = "district"
    commune = "commune"
    area = "area"


LEVEL_OF_NAME = {
    LevelName.province: Level.PROVINCE,
    LevelName.district: Level.DISTRICT,
    LevelName.commune: Level.COMMUNE,
    LevelName.area: Level.AREA,
}
NAME_OF_LEVEL = {level: name.value for name, level in LEVEL_OF_NAME.items()}

RoleName = Enum("RoleName", {value: value for value in Role.values}, type=str)
RoleName.__doc__ = "A role held through a mandate."


class Error(Schema):
    message: str = Field(description="What went wrong, in the caller's language.")
    code: str = Field(description="A stable machine-readable code: not_found, forbidden, …")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field, when some values were refused."
    )


class UnitRef(Schema):
    level: LevelName
    code: str = Field(
        description="GSO code (province 2 digits, district 3, commune 5); areas <commune code>-NN."
    )
    kind: str = Field(
        description="tinh, thanh_pho_tw, quan, huyen, thanh_pho, thi_xa, xa, "
        "phuong, thi_tran, dac_khu or khu_dan_cu."
    )
    kind_label: str
    name: str
    short_name: str
    url: str = Field(description="The unit's public page.")


class UnitVersionOut(Schema):
    name: str
    short_name: str
    kind: str
    parent: str | None = Field(description="The parent's code then.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="Exclusive; null while still valid.")


class UnitOut(UnitRef):
    area_type: str = Field(description="For areas: khu, thon, xom, to_dan_pho, …")
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="Exclusive; null while still valid.")
    is_current: bool = Field(description="The unit exists today.")
    on: datetime.date | None = Field(description="The day the state shown was valid (asked).")
    ancestors: list[UnitRef] = Field(description="From the province down to the parent.")
    versions: list[UnitVersionOut] = Field(description="Every state the unit has had.")
    households: int | None = Field(None, description="Active households (areas, today only).")


class ProvinceList(Schema):
    on: datetime.date | None
    items: list[UnitRef]


class ChildOut(UnitRef):
    counts: dict[str, int] = Field(description="The child's own descendants by kind.")
    households: int | None = Field(description="Active households below it (today only).")


class ChildrenOut(Schema):
    unit: UnitRef
    on: datetime.date | None
    counts: dict[str, int] = Field(description="All descendants of the unit by kind.")
    households: int | None = Field(description="Active households below the unit (today only).")
    total: int = Field(description="Number of children.")
    limit: int
    offset: int
    items: list[ChildOut]


class SearchHit(UnitRef):
    parent: UnitRef | None


class SearchOut(Schema):
    q: str
    items: list[SearchHit]


class PersonOut(Schema):
    id: int
    full_name: str
    phone: str | None = Field(
        description="Shown when the person agreed to show it publicly, or to whoever may manage "
        "mandates on the unit."
    )


class MandateOut(Schema):
    id: int
    role: RoleName
    role_label: str
    person: PersonOut
    unit: UnitRef
    household: str | None = Field(description="The household's code (residents).")
    start: datetime.date
    end: datetime.date | None = Field(description="Exclusive; null while open-ended.")
    decision_number: str
    decision_date: datetime.date | None


class MandateList(Schema):
    total: int
    limit: int
    offset: int
    items: list[MandateOut]


class MandateIn(Schema):
    level: LevelName
    code: str = Field(max_length=20)
    role: RoleName
    phone: str = Field(max_length=20, description="The person's phone; created when unknown.")
    full_name: str = Field("", max_length=120, description="Needed when the phone is new.")
    start: datetime.date
    end: datetime.date | None = None
    household: str = Field("", max_length=32, description="A resident's household code.")
    decision_number: str = Field("", max_length=80)
    decision_date: datetime.date | None = None
    note: str = Field("", max_length=200)
