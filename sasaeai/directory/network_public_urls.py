"""An organiser's page behind the secret link of the SC's mail, under /network/."""

from django.urls import path

from . import network_public_views as views

app_name = "network"
urlpatterns = [
    path("<slug:token>/", views.message, name="message"),
    path("<slug:token>/leave/", views.leave, name="leave"),
]
