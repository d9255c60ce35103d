from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("dia-ban/", views.browse, name="browse"),
    path("tim-kiem/", views.search, name="search"),
    path("khu/<str:code>/ho/", views.area_households, name="households"),
    path("khu/<str:code>/ho/them/", views.household_add, name="household_add"),
    path(
        "khu/<str:code>/ho/<str:household_code>/sua/", views.household_edit, name="household_edit"
    ),
    path("khu/<str:code>/doi-ten/", views.area_rename, name="area_rename"),
    path("xa/<str:code>/mau-nhap.xlsx", views.area_template, name="area_template"),
    path("xa/<str:code>/nhap/", views.area_import, name="area_import"),
    path("xa/<str:code>/khu/them/", views.area_add, name="area_add"),
    path("xa/<str:code>/gop-khu/", views.areas_merge, name="areas_merge"),
    path("tinh/<str:code>/nhap/", views.province_import, name="province_import"),
    path("tinh/<str:code>/nhap/<int:pk>/", views.province_import_job, name="province_import_job"),
    path(
        "tinh/<str:code>/nhap/<int:pk>/ap-dung/",
        views.province_import_apply,
        name="province_import_apply",
    ),
    path("xa/<str:code>/nhap/<int:pk>/", views.area_import_job, name="area_import_job"),
    path("<lvl:level>/<str:code>/", views.unit_detail, name="unit"),
]
