from django.urls import include, path

from . import views

app_name = "funds"
# An area's funds, under khu/<code>/quy/.
area = [
    path("", views.area_funds, name="area"),
    path("them/", views.fund_add, name="fund_add"),
    path("nghi-quyet/them/", views.decision_add, name="decision_add"),
    path("nghi-quyet/tu-cuoc-hop/", views.decision_from_meeting, name="decision_from_meeting"),
    path("ap-phich.pdf", views.poster, name="poster"),
    path("<int:pk>/", views.fund_detail, name="fund"),
    path("<int:pk>/cong-khai.<str:fmt>", views.statement, name="statement"),
    path("<int:pk>/thu/", views.contribution_add, name="contribution_add"),
    path("<int:pk>/chi/", views.expense_add, name="expense_add"),
    path("<int:pk>/thu-khac/", views.income_add, name="income_add"),
    path("<int:pk>/dot-thu/", views.campaign_add, name="campaign_add"),
    path("<int:pk>/dot-thu/<int:campaign_pk>/mien/", views.exemption_add, name="exemption_add"),
    path("<int:pk>/but-toan/<int:seq>/dieu-chinh/", views.entry_reverse, name="reverse"),
    path("khoan-chi/<int:pk>/", views.expense_detail, name="expense"),
    path("khoan-chi/<int:pk>/duyet/", views.expense_approve, name="expense_approve"),
    path("khoan-chi/<int:pk>/tu-choi/", views.expense_reject, name="expense_reject"),
    path("khoan-chi/<int:pk>/hoa-don/", views.invoice, name="invoice"),
    path("khoan-chi/<int:pk>/che-hoa-don/", views.invoice_cover, name="invoice_cover"),
    path("ho/<str:household_code>/", views.household_funds, name="household"),
    path(
        "ho/<str:household_code>/vietqr-<int:campaign_pk>.png",
        views.household_vietqr,
        name="vietqr",
    ),
]
urlpatterns = [
    path("khu/<str:code>/quy/", include(area)),
    path("bien-lai/<str:token>/", views.receipt, name="receipt"),
    path("bien-lai/<str:token>/bien-lai.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<ground:level>/<str:code>/quy/", views.overview, name="overview"),
]
