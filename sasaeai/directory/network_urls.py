"""Staff pages of the organisers' network (つながる), under /staff/network/."""

from django.urls import path

from . import network_views as views

app_name = "network_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.region, name="region"),
    path("<slug:code>/join/", views.join, name="join"),
    path("<slug:code>/print.pdf", views.region_pdf, name="region_pdf"),
    path("<slug:code>/messages/new/", views.compose, name="compose"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("messages/<int:pk>/print.pdf", views.message_pdf, name="message_pdf"),
    path("members/<int:pk>/remove/", views.remove, name="remove"),
]
