from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.members, name="members"),
    path("<int:pk>/remove/", views.remove_member, name="remove"),
]
