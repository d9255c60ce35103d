"""Readable URL prefixes for the levels of the territory: /tinh/25/, /xa/08119/, /khu/08119-03/."""

from django.urls import register_converter


class LevelPrefix:
    regex = "tinh|huyen|xa|khu"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class GroundPrefix(LevelPrefix):
    """The levels whose officers manage mandates and read the audit: province, district, commune."""

    regex = "tinh|huyen|xa"


register_converter(LevelPrefix, "lvl")
register_converter(GroundPrefix, "ground")
