from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("viec/", views.inbox, name="inbox"),
    path("viec/<int:pk>/", views.assignment, name="assignment"),
    path("viec/<int:pk>/da-nhan/", views.assignment_acknowledge, name="acknowledge"),
    path("viec/<int:pk>/tien-do/", views.assignment_progress, name="progress"),
    path("viec/<int:pk>/hoan-thanh/", views.assignment_complete, name="complete"),
    path("viec/<int:pk>/khong-the/", views.assignment_decline, name="decline"),
    path("viec/<int:pk>/tep/<int:file_pk>/", views.evidence, name="evidence"),
    path("xa/<str:code>/nhiem-vu/giao/", views.directive_new, name="new"),
    path("xa/<str:code>/nhiem-vu/<int:pk>/", views.directive_detail, name="detail"),
    path("xa/<str:code>/nhiem-vu/<int:pk>/gui/", views.directive_send, name="send"),
    path("xa/<str:code>/nhiem-vu/<int:pk>/sua/", views.directive_amend, name="amend"),
    path("xa/<str:code>/nhiem-vu/<int:pk>/thu-hoi/", views.directive_withdraw, name="withdraw"),
    path("xa/<str:code>/nhiem-vu/<int:pk>/tep/<int:file_pk>/", views.attachment, name="attachment"),
    path("<ground:level>/<str:code>/nhiem-vu/", views.ground, name="ground"),
]
