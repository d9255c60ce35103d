from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("dang-nhap/", views.signin, name="signin"),
    path("dang-nhap/so-dien-thoai/", views.signin_phone, name="signin_phone"),
    path("dang-nhap/ma/", views.signin_code, name="signin_code"),
    path("dang-nhap/ma/gui-lai/", views.signin_resend, name="signin_resend"),
    path("dang-nhap/mat-khau/", views.signin_password, name="signin_password"),
    path("dang-xuat/", views.signout, name="signout"),
    path("<ground:level>/<str:code>/can-bo/", views.mandates, name="mandates"),
    path(
        "<ground:level>/<str:code>/can-bo/<int:pk>/ket-thuc/",
        views.mandate_end,
        name="mandate_end",
    ),
    path("<ground:level>/<str:code>/nhat-ky/", views.audit, name="audit"),
    path("<ground:level>/<str:code>/truong-khu/", views.register, name="register"),
    path("<ground:level>/<str:code>/truong-khu.xlsx", views.register_xlsx, name="register_xlsx"),
    path("khu/<str:code>/truong-khu/<int:pk>/", views.head_edit, name="head_edit"),
    path("tinh/<str:code>/phu-cap/", views.allowances, name="allowances"),
]
