from django.urls import path

from . import meeting_views, minutes_views, photo_views, staff_views, year_views

app_name = "councils_staff"
urlpatterns = [
    path("", staff_views.council_list, name="list"),
    path("new/", staff_views.council_new, name="new"),
    path("meetings/", year_views.meeting_list, name="year_meetings"),
    path("decisions/", year_views.decision_list, name="year_decisions"),
    path("actions/", year_views.action_list, name="year_actions"),
    path("<int:pk>/", staff_views.council_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.council_edit, name="edit"),
    path("<int:pk>/members/", staff_views.member_list, name="members"),
    path("<int:pk>/actions/", staff_views.open_actions, name="actions"),
    path("<int:pk>/meetings/", meeting_views.meeting_list, name="meetings"),
    path("<int:pk>/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("<int:pk>/series/new/", meeting_views.series_new, name="series_new"),
    path("members/<int:pk>/", staff_views.member_edit, name="member_edit"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/new/", meeting_views.agenda_new, name="agenda_new"),
    path("meetings/<int:pk>/attendance/", meeting_views.attendance_edit, name="attendance"),
    path("meetings/<int:pk>/actions/new/", meeting_views.action_new, name="action_new"),
    path("meetings/<int:pk>/minutes/", minutes_views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/photos/", photo_views.photo_add, name="photo_add"),
    path("photos/<int:pk>/remove/", photo_views.photo_remove, name="photo_remove"),
    path("photos/<int:pk>/<str:name>", photo_views.photo, name="photo"),
    path("meetings/<int:pk>/summary/", minutes_views.summary_edit, name="summary"),
    path("meetings/<int:pk>/print/", minutes_views.meeting_print, name="print"),
    path("meetings/<int:pk>/pdf/", minutes_views.meeting_pdf, name="pdf"),
    path("agenda/<int:pk>/", meeting_views.agenda_edit, name="agenda_edit"),
    path("actions/<int:pk>/", meeting_views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", meeting_views.action_status, name="action_status"),
    path("minutes/<int:pk>/", minutes_views.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/approve/", minutes_views.minutes_approve, name="approve"),
    path("minutes/<int:pk>/correct/", minutes_views.minutes_correct, name="correct"),
]
