from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("dang-nhap/", views.signin, name="signin"),
    path("dang-xuat/", views.signout, name="signout"),
]
