from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("khu/<str:code>/quy/", views.area_funds, name="area"),
    path("khu/<str:code>/quy/them/", views.fund_add, name="fund_add"),
    path("khu/<str:code>/quy/nghi-quyet/them/", views.decision_add, name="decision_add"),
    path(
        "khu/<str:code>/quy/nghi-quyet/tu-cuoc-hop/",
        views.decision_from_meeting,
        name="decision_from_meeting",
    ),
    path("khu/<str:code>/quy/ap-phich.pdf", views.poster, name="poster"),
    path("khu/<str:code>/quy/<int:pk>/", views.fund_detail, name="fund"),
    path("khu/<str:code>/quy/<int:pk>/cong-khai.<str:fmt>", views.statement, name="statement"),
    path("khu/<str:code>/quy/<int:pk>/thu/", views.contribution_add, name="contribution_add"),
    path("khu/<str:code>/quy/<int:pk>/chi/", views.expense_add, name="expense_add"),
    path("khu/<str:code>/quy/<int:pk>/thu-khac/", views.income_add, name="income_add"),
    path("khu/<str:code>/quy/<int:pk>/dot-thu/", views.campaign_add, name="campaign_add"),
    path(
        "khu/<str:code>/quy/<int:pk>/dot-thu/<int:campaign_pk>/mien/",
        views.exemption_add,
        name="exemption_add",
    ),
    path(
        "khu/<str:code>/quy/<int:pk>/but-toan/<int:seq>/dieu-chinh/",
        views.entry_reverse,
        name="reverse",
    ),
    path("khu/<str:code>/quy/khoan-chi/<int:pk>/", views.expense_detail, name="expense"),
    path(
        "khu/<str:code>/quy/khoan-chi/<int:pk>/duyet/",
        views.expense_approve,
        name="expense_approve",
    ),
    path(
        "khu/<str:code>/quy/khoan-chi/<int:pk>/tu-choi/",
        views.expense_reject,
        name="expense_reject",
    ),
    path("khu/<str:code>/quy/khoan-chi/<int:pk>/hoa-don/", views.invoice, name="invoice"),
    path(
        "khu/<str:code>/quy/khoan-chi/<int:pk>/che-hoa-don/",
        views.invoice_cover,
        name="invoice_cover",
    ),
    path("khu/<str:code>/quy/ho/<str:household_code>/", views.household_funds, name="household"),
    path(
        "khu/<str:code>/quy/ho/<str:household_code>/vietqr-<int:campaign_pk>.png",
        views.household_vietqr,
        name="vietqr",
    ),
    path("bien-lai/<str:token>/", views.receipt, name="receipt"),
    path("bien-lai/<str:token>/bien-lai.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<ground:level>/<str:code>/quy/", views.overview, name="overview"),
]
