from django.urls import path

from . import request_views, venue_views

app_name = "support_staff"
urlpatterns = [
    path("", request_views.request_list, name="list"),
    path("new/", request_views.request_new, name="new"),
    path("<int:pk>/", request_views.request_detail, name="detail"),
    path("<int:pk>/messages/", request_views.request_message, name="message"),
    path("<int:pk>/status/", request_views.request_step, name="step"),
    path("venues/", venue_views.venue_list, name="venues"),
    path("venues/new/", venue_views.venue_new, name="venue_new"),
    path("venues/<int:pk>/", venue_views.venue_detail, name="venue"),
    path("venues/<int:pk>/edit/", venue_views.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/book/", venue_views.venue_book, name="book"),
    path("bookings/<int:pk>/cancel/", venue_views.booking_cancel, name="cancel"),
    path("calendar/", venue_views.booking_calendar, name="calendar"),
]
