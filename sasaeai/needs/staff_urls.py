from django.urls import path

from . import (
    helper_views,
    match_views,
    paper_views,
    peer_views,
    report_views,
    staff_views,
)

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
    path("<int:pk>/matches/", match_views.need_matches, name="matches"),
    path("<int:pk>/introduce/", match_views.need_introduce, name="introduce"),
    path("introductions/", match_views.introduction_list, name="introductions"),
    path("introductions/<int:pk>/outcome/", match_views.introduction_outcome,
         name="introduction_outcome"),
    # Helpers (担い手) and 仲間募集
    path("helpers/", helper_views.helper_list, name="helpers"),
    path("helpers/new/", helper_views.helper_edit, name="helper_new"),
    path("helpers/<int:pk>/", helper_views.helper_detail, name="helper"),
    path("helpers/<int:pk>/edit/", helper_views.helper_edit, name="helper_edit"),
    path("helpers/<int:pk>/remove/", helper_views.helper_remove, name="helper_remove"),
    path("helpers/<int:pk>/introduce/", helper_views.helper_introduce, name="helper_introduce"),
    path("peers/", peer_views.peer_list, name="peers"),
    # The need form on paper (FAX and hand-writing), both ways
    path("paper/", paper_views.paper_print, name="paper"),
    path("paper/attach/", paper_views.paper_attach, name="paper_attach"),
    path("paper/<int:pk>/", paper_views.paper_sheet, name="paper_sheet"),
    path("paper/<int:pk>/pdf/", paper_views.paper_pdf, name="paper_pdf"),
    path("paper/<int:pk>/scan/<str:name>/", paper_views.paper_scan, name="paper_scan"),
    path("peers/activity/<int:activity_pk>/new/", peer_views.peer_edit, name="peer_new"),
    path("peers/<int:pk>/edit/", peer_views.peer_edit, name="peer_edit"),
    path("peers/<int:pk>/delete/", peer_views.peer_delete, name="peer_delete"),
]  # fmt: skip
