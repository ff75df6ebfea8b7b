from django.urls import path

from . import calendar_views, held_views, local_views, paper_views, report_views, staff_views

app_name = "events_staff"
urlpatterns = [
    path("", staff_views.event_list, name="list"),
    path("new/", staff_views.event_new, name="new"),
    path("held/", held_views.held_list, name="held"),
    path("<int:pk>/", staff_views.event_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.event_edit, name="edit"),
    path("<int:pk>/publish/", staff_views.event_publish, name="publish"),
    path("<int:pk>/call-off/", staff_views.event_cancel, name="cancel_event"),
    path("<int:pk>/delete/", staff_views.event_delete, name="delete"),
    path("<int:pk>/register/", staff_views.register, name="register"),
    path("<int:pk>/cancel/", staff_views.cancel, name="cancel"),
    path("<int:pk>/attendance/", staff_views.attendance, name="attendance"),
    path("<int:pk>/materials/", staff_views.material_add, name="material_add"),
    path("materials/<int:pk>/", staff_views.material_download, name="material"),
    path("plan/", report_views.plan, name="plan"),
    path("plan/edit/", report_views.plan_edit, name="plan_edit"),
    path("attendance/", report_views.attendance_report, name="attendance_report"),
    path("history/", report_views.my_history, name="history"),
    path("people/<int:pk>/", report_views.person_history, name="person"),
    path("kinds/", report_views.kind_list, name="kinds"),
    path("kinds/<int:pk>/", report_views.kind_edit, name="kind_edit"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    # Local events for residents (地域の催し).
    path("local/", local_views.local_list, name="local_list"),
    path("local/new/", local_views.local_new, name="local_new"),
    path("local/<int:pk>/", local_views.local_detail, name="local_detail"),
    path("local/<int:pk>/edit/", local_views.local_edit, name="local_edit"),
    path("local/<int:pk>/publish/", local_views.local_publish, name="local_publish"),
    path("local/<int:pk>/call-off/", local_views.local_call_off, name="local_call_off"),
    path("local/<int:pk>/delete/", local_views.local_delete, name="local_delete"),
    path("local/<int:pk>/signups/", local_views.local_signup_add, name="local_signup_add"),
    path("local/<int:pk>/signups.pdf", local_views.local_signups_pdf, name="local_signups_pdf"),
    path("local/<int:pk>/flyer.pdf", local_views.local_flyer, name="local_flyer"),
    # Sign-up sheets on paper (FAX and hand-writing), both ways
    path("local/<int:pk>/paper/", paper_views.paper_print, name="paper_print"),
    path("local/paper/attach/", paper_views.paper_attach, name="paper_attach"),
    path("local/paper/<int:pk>/", paper_views.paper_sheet, name="paper_sheet"),
    path("local/paper/<int:pk>/scan/<str:name>/", paper_views.paper_scan, name="paper_scan"),
    path(
        "local/signups/<int:pk>/cancel/",
        local_views.local_signup_cancel,
        name="local_signup_cancel",
    ),
    path("calendar/reset/", calendar_views.calendar_reset, name="calendar_reset"),
]
