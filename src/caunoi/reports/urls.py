from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<lvl:level>/<str:code>/bao-cao/", views.report, name="report"),
    path("<lvl:level>/<str:code>/bao-cao.xlsx", views.report_xlsx, name="xlsx"),
    path("<lvl:level>/<str:code>/bao-cao.pdf", views.report_pdf, name="pdf"),
    path("<lvl:level>/<str:code>/bao-cao/<slug:table>.csv", views.report_csv, name="csv"),
    path("ca-nuoc/bao-cao/", views.national_report, name="national"),
    path("ca-nuoc/bao-cao.xlsx", views.national_export, {"fmt": "xlsx"}, name="national_xlsx"),
    path("ca-nuoc/bao-cao.pdf", views.national_export, {"fmt": "pdf"}, name="national_pdf"),
    path(
        "ca-nuoc/bao-cao/<slug:table>.csv",
        views.national_export,
        {"fmt": "csv"},
        name="national_csv",
    ),
    path("khao-sat/<int:pk>/<ground:level>/<str:code>/cong-bo/", views.publish, name="publish"),
    path("cong-khai/khao-sat/", views.published_list, name="published_list"),
    path("cong-khai/khao-sat/<int:pk>/", views.published, name="published"),
    path(
        "cong-khai/khao-sat/<int:pk>/<ground:level>/<str:code>/",
        views.published,
        name="published_at",
    ),
    path("cong-khai/khao-sat/<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("tinh/<str:code>/quy-che-thi-dua/", views.rules, name="rules"),
    path("khu/<str:code>/the-diem/", views.scorecard, name="scorecard"),
    path("xa/<str:code>/can-ho-tro/", views.support, name="support"),
    path("<ground:level>/<str:code>/khen-thuong/", views.commendations, name="commendations"),
    path("xa/<str:code>/khen-thuong/de-nghi/", views.propose, name="propose"),
    path("khen-thuong/<int:pk>/", views.proposal, name="proposal"),
    path("khen-thuong/<int:pk>/quyet-dinh.<str:fmt>", views.decision, name="decision"),
    path("khu/<str:code>/khen-thuong/", views.own_commendations, name="own_commendations"),
]
