from django.urls import path

from . import calendar_views, public_views

app_name = "events"
urlpatterns = [
    path("", public_views.public_list, name="public_list"),
    path("local/<int:pk>/", public_views.local_detail, name="local"),
    path("local/thanks/", public_views.local_thanks, name="local_thanks"),
    path("calendar.ics", calendar_views.public_feed, name="public_feed"),
    # A token is URL-safe base64 (models.new_token), so anything else (a NUL byte, which
    # PostgreSQL refuses in a query) is a 404 before the database is asked.
    path("calendar/<slug:token>.ics", calendar_views.personal_feed, name="feed"),
]
