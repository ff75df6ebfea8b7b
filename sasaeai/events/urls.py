from django.urls import path

from . import calendar_views, public_views

app_name = "events"
urlpatterns = [
    path("", public_views.public_list, name="public_list"),
    path("calendar.ics", calendar_views.public_feed, name="public_feed"),
    path("calendar/<str:token>.ics", calendar_views.personal_feed, name="feed"),
]
