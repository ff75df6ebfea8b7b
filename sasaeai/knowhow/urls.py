from django.urls import path

from . import views

app_name = "knowhow_staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="edit"),
    path("cases/<int:pk>/send/", views.send, name="send"),
    path("cases/<int:pk>/approve/", views.approve, name="approve"),
    path("cases/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("cases/<int:pk>/useful/", views.useful, name="useful"),
]
