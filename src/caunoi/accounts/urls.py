from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.signin, name="signin"),
    path("dang-nhap/so-dien-thoai/", views.signin_phone, name="signin_phone"),
    path("dang-nhap/ma/", views.signin_code, name="signin_code"),
    path("dang-nhap/ma/gui-lai/", views.signin_resend, name="signin_resend"),
    path("dang-nhap/mat-khau/", views.signin_password, name="signin_password"),
    path("dang-xuat/", views.signout, name="signout"),
    path("nguoi-giup/", views.delegations, name="delegations"),
    path("nguoi-giup/<int:pk>/xac-nhan/", views.delegation_confirm, name="delegation_confirm"),
    path("nguoi-giup/<int:pk>/ket-thuc/", views.delegation_end, name="delegation_end"),
    path("xa/<str:code>/nguoi-giup/", views.commune_delegations, name="commune_delegations"),
]
