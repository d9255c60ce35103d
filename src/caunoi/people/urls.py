from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
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
