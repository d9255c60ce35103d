"""URL converters for the levels of the territory: `<lvl:level>` matches tinh|huyen|xa|khu and
`<ground:level>` the levels whose officers have a ground of their own (tinh|huyen|xa); the view
receives a `Level`. Registered by the territory app at start-up."""

from django.urls import register_converter

from .models import LEVEL_PREFIX, Level


class LevelConverter:
    regex = "tinh|huyen|xa|khu"

    def to_python(self, value: str) -> Level:
        return Level.from_prefix(value)

    def to_url(self, value: Level | int | str) -> str:
        if isinstance(value, str) and not value.isdigit():
            return value if value in LEVEL_PREFIX.values() else ""
        return Level(int(value)).prefix


class GroundConverter(LevelConverter):
    regex = "tinh|huyen|xa"


def register() -> None:
    register_converter(LevelConverter, "lvl")
    register_converter(GroundConverter, "ground")
