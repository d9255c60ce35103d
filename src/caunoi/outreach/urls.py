from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("thong-bao-cua-toi/", views.my_notices, name="mine"),
    path("thong-bao/<int:pk>/", views.notice_detail, name="notice"),
    path("thong-bao/<int:pk>/da-biet/", views.notice_acknowledge, name="acknowledge"),
    path("thong-bao/<int:pk>/gui/", views.notice_confirm, name="confirm"),
    path("thong-bao/<int:pk>/khong-dau/", views.notice_unaccent, name="unaccent"),
    path("thong-bao/<int:pk>/tiep-nhan/", views.notice_reach, name="reach"),
    path("thong-bao/<int:pk>/nhac/", views.notice_remind, name="remind"),
    path("thong-bao/<int:pk>/ho/<str:household_code>/", views.notice_mark, name="mark"),
    path("thong-bao/<int:pk>/tep/<int:att>/", views.notice_attachment, name="attachment"),
    path("thong-bao/<int:pk>/in.pdf", views.notice_print, name="print"),
    path("thong-bao/<int:pk>/loa/", views.notice_loudspeaker, name="loudspeaker"),
    path("thong-bao/<int:pk>/loa/<int:audio>.mp3", views.notice_audio, name="audio"),
    path("nghe/<int:pk>/", views.notice_listen, name="listen"),
    path("khu/<str:code>/thong-bao/", views.area_notices, name="area"),
    path("<lvl:level>/<str:code>/thong-bao/moi/", views.notice_new, name="new"),
    path("khu/<str:code>/kenh/", views.area_channels, name="channels"),
    path(
        "khu/<str:code>/kenh/tu-cuoc-hop/",
        views.area_channel_from_meeting,
        name="channel_from_meeting",
    ),
    path("khu/<str:code>/kenh/<int:pk>/bo/", views.area_channel_drop, name="channel_drop"),
    path("<ground:level>/<str:code>/thong-bao/", views.ground_reach, name="ground"),
]
