"""The organiser's page behind a confirmation sheet's code, under /confirm/ (printed on the
sheets: keep it)."""

from django.urls import path

from . import confirm_public_views as views

app_name = "confirm"
urlpatterns = [
    path("", views.enter, name="enter"),
    path("<slug:code>/", views.answer, name="answer"),
    path("<slug:code>/correct/", views.correct, name="correct"),
]
