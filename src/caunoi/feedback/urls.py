from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("khu/<str:code>/hoi/", views.ask, name="ask"),
    path("hoi-dap/ma-xac-nhan/", views.ask_code, name="ask_code"),
    path("khu/<str:code>/hoi-dap/ghi/", views.record, name="record"),
    path("hoi-dap/cua-toi/", views.mine, name="mine"),
    path("hoi-dap/tim-kiem/", views.search, name="search"),
    path("hoi-dap/anh/<int:pk>/", views.photo, name="photo"),
    path("hoi-dap/<int:pk>/", views.detail, name="detail"),
    path("hoi-dap/<int:pk>/tra-loi/", views.answer, name="answer"),
    path("hoi-dap/<int:pk>/chuyen-xa/", views.escalate, name="escalate"),
    path("hoi-dap/<int:pk>/tra-lai/", views.give_back, name="return"),
    path("hoi-dap/<int:pk>/chuyen-tiep/", views.forward, name="forward"),
    path("hoi-dap/<int:pk>/da-giai-quyet/", views.confirm, name="confirm"),
    path("hoi-dap/<int:pk>/an/", views.hide, name="hide"),
    path("hoi-dap/<int:pk>/cong-khai/", views.publish, name="publish"),
    path("xa/<str:code>/cau-hoi-thuong-gap/", views.faq, name="faq"),
    path("xa/<str:code>/hoi-dap/linh-vuc/", views.categories, name="categories"),
    path("xa/<str:code>/hoi-dap/linh-vuc/<int:pk>/", views.category_edit, name="category_edit"),
    path("<lvl:level>/<str:code>/hoi-dap/", views.ground_list, name="list"),
    path("<lvl:level>/<str:code>/hoi-dap/thong-ke/", views.stats, name="stats"),
]
