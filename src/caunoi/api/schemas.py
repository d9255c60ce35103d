"""What every app's API shares: how a level is named in paths, and the shape of an error."""

from enum import StrEnum

from ninja import Field, Schema

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


class Error(Schema):
    message: str = Field(description="What went wrong, in the caller's language.")
    code: str = Field(description="A stable machine-readable code: not_found, forbidden, …")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field, when some values were refused."
    )
