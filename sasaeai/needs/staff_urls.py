from django.urls import path

from . import report_views, staff_views

app_name = "needs_staff"
urlpatterns = [
    path("", staff_views.need_list, name="list"),
    path("new/", staff_views.need_edit, name="new"),
    path("report/", report_views.report, name="report"),
    path("gap/", report_views.gap, name="gap"),
    path("<int:pk>/", staff_views.need_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.need_edit, name="edit"),
    path("<int:pk>/status/", staff_views.need_status, name="status"),
    path("<int:pk>/reopen/", staff_views.need_reopen, name="reopen"),
]
