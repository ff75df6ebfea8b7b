from django.urls import path

from . import views

app_name = "needs"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("new/thanks/", views.thanks, name="thanks"),
]
