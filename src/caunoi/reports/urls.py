from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<lvl:level>/<str:code>/bao-cao/", views.report, name="report"),
    path("<lvl:level>/<str:code>/bao-cao.xlsx", views.report_xlsx, name="xlsx"),
    path("<lvl:level>/<str:code>/bao-cao.pdf", views.report_pdf, name="pdf"),
    path("<lvl:level>/<str:code>/bao-cao/<slug:table>.csv", views.report_csv, name="csv"),
]
