from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("<ground:level>/<str:code>/bau-cu/", views.status, name="status"),
    path("khu/<str:code>/bau-cu/", views.area_public, name="area"),
    path("khu/<str:code>/bau-cu/quyet-dinh/", views.decide, name="decide"),
    path("khu/<str:code>/thoi-lam/", views.leaving_start, name="leaving_start"),
    path("bau-cu/<int:pk>/", views.election_detail, name="election"),
    path("bau-cu/<int:pk>/ung-cu-vien/them/", views.candidate_add, name="candidate_add"),
    path("bau-cu/<int:pk>/cong-bo/", views.publish, name="publish"),
    path("bau-cu/<int:pk>/kiem-phieu/", views.count, name="count"),
    path("bau-cu/<int:pk>/cong-nhan/", views.recognise, name="recognise"),
    path("bau-cu/<int:pk>/bau-lai/", views.re_election, name="re_election"),
    path("bau-cu/<int:pk>/lam-thoi/", views.temporary, name="temporary"),
    path("bau-cu/<int:pk>/<str:doc>.<str:fmt>", views.document, name="document"),
    path("thoi-lam/<int:pk>/", views.leaving_detail, name="leaving"),
    path("thoi-lam/<int:pk>/kiem-phieu/", views.leaving_count, name="leaving_count"),
    path("thoi-lam/<int:pk>/quyet-dinh/", views.leaving_decide, name="leaving_decide"),
]
