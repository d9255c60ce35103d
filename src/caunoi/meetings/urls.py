from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("khu/<str:code>/hop/", views.area_meetings, name="area"),
    path("khu/<str:code>/hop/them/", views.meeting_add, name="add"),
    path("hop/<int:pk>/", views.meeting_detail, name="meeting"),
    path("hop/<int:pk>/noi-dung/them/", views.item_add, name="item_add"),
    path("hop/<int:pk>/tai-lieu/them/", views.document_add, name="document_add"),
    path("hop/<int:pk>/tai-lieu/<int:doc>/", views.document, name="document"),
    path("hop/<int:pk>/chuan-bi/", views.checklist, name="checklist"),
    path("hop/<int:pk>/moi/", views.invite, name="invite"),
    path("hop/<int:pk>/giay-moi.<str:fmt>", views.invitation, name="invitation"),
    path("hop/<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("hop/<int:pk>/ket-qua/", views.results, name="results"),
    path("hop/<int:pk>/cum/them/", views.cluster_add, name="cluster_add"),
    path("hop/<int:pk>/cum/ket-qua/", views.cluster_results, name="cluster_results"),
    path("hop/<int:pk>/bien-ban.<str:fmt>", views.minutes, name="minutes"),
    path("hop/<int:pk>/bien-ban-da-ky/", views.minutes_scan, name="minutes_scan"),
    path("hop/<int:pk>/bien-ban-da-ky/tai-len/", views.minutes_upload, name="minutes_upload"),
    path("hop/<int:pk>/phieu/mo/", views.ballot_open, name="ballot_open"),
    path("hop/<int:pk>/phieu/in/", views.ballot_slips, name="ballot_slips"),
    path("hop/<int:pk>/phieu/nhap/", views.slip_enter, name="slip_enter"),
    path("hop/<int:pk>/phieu/dong/", views.ballot_close, name="ballot_close"),
    path("hop/<int:pk>/phieu/gui-xa/", views.ballot_report, name="ballot_report"),
    path("phieu-lay-y-kien/", views.slip_answer, name="slip_answer"),
    path("<ground:level>/<str:code>/hop/", views.readiness, name="readiness"),
]
