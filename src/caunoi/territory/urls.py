from django.urls import path, register_converter

from . import views


class LevelPrefix:
    regex = "tinh|huyen|xa|khu"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LevelPrefix, "lvl")

app_name = "territory"
urlpatterns = [
    path("dia-ban/", views.browse, name="browse"),
    path("tim-kiem/", views.search, name="search"),
    path("khu/<str:code>/ho/", views.area_households, name="households"),
    path("<lvl:prefix>/<str:code>/", views.unit_detail, name="unit"),
]
