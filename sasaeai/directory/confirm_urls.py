"""Staff pages of the organisers' confirmation, under /staff/confirm/."""

from django.urls import path

from . import confirm_views as views

app_name = "confirm_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.season, name="season"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/make/", views.make, name="make"),
    path("batches/<int:pk>/sheets.pdf", views.sheets, name="sheets"),
    path("batches/<int:pk>/reminders/", views.reminders, name="reminders"),
    path("requests/<int:pk>/reissue/", views.reissue, name="reissue"),
]
