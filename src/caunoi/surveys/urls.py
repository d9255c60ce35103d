from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("tra-loi/", views.answer_start, name="answer_start"),
    path("tra-loi/cam-on/", views.answer_thanks, name="answer_thanks"),
    path("tra-loi/<str:code>/", views.answer_code, name="answer_code"),
    path("khao-sat/", views.campaign_list, name="campaigns"),
    path("khao-sat/mau/nhap/", views.form_import, name="form_import"),
    path("khao-sat/mau/<int:pk>.xlsx", views.form_export, name="form_export"),
    path("khao-sat/moi/<ground:level>/<str:code>/", views.campaign_new, name="campaign_new"),
    path("khao-sat/<int:pk>/", views.campaign_detail, name="campaign"),
    path("khao-sat/<int:pk>/tra-loi/", views.answer_household, name="answer_household"),
    path("khao-sat/<int:pk>/toan-quoc/", views.results_national, name="results_national"),
    path("khao-sat/<int:pk>/so-sanh/", views.compare, name="compare"),
    path("khao-sat/<int:pk>/mau-nhap.xlsx", views.import_template, name="import_template"),
    path("khao-sat/<int:pk>/khu/<str:code>/ma/", views.codes, name="codes"),
    path("khao-sat/<int:pk>/<lvl:level>/<str:code>/", views.results, name="results"),
    path("khao-sat/<int:pk>/<lvl:level>/<str:code>.xlsx", views.results_xlsx, name="results_xlsx"),
    path(
        "khao-sat/<int:pk>/<lvl:level>/<str:code>/phieu.xlsx",
        views.responses_xlsx,
        name="responses_xlsx",
    ),
    path("khao-sat/<int:pk>/<lvl:level>/<str:code>/bao-cao/", views.report, name="report"),
    path("khao-sat/<int:pk>/<lvl:level>/<str:code>/phieu-giay/", views.paper, name="paper"),
    path("khao-sat/<int:pk>/<lvl:level>/<str:code>/nhap/", views.responses_import, name="import"),
]
