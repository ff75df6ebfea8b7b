from collections.abc import Callable
from typing import Any

from django.urls import URLPattern
from django.urls import path as django_path

from . import manage_views, paper_views, staff_views, stats_views, transfer_views
from .lookups import private


def path(route: str, view: Callable[..., Any], name: str) -> URLPattern:
    """Every staff referral page is private (no-store); a test checks that none escapes."""
    return django_path(route, private(view), name=name)


app_name = "referrals_staff"
urlpatterns = [
    path("", staff_views.referral_list, name="list"),
    path("new/", staff_views.referral_edit, name="new"),
    path("institutions/", staff_views.institution_list, name="institutions"),
    path("stats/", stats_views.referral_stats, name="stats"),
    # The referral form on paper (FAX and hand-writing), both ways
    path("paper/", paper_views.paper_print, name="paper"),
    path("paper/attach/", paper_views.paper_attach, name="paper_attach"),
    path("paper/<int:pk>/", paper_views.paper_sheet, name="paper_sheet"),
    path("paper/<int:pk>/scan/<str:name>/", paper_views.paper_scan, name="paper_scan"),
    path("<int:pk>/", staff_views.referral_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.referral_edit, name="edit"),
    path("<int:pk>/resend/", staff_views.referral_resend, name="resend"),
    path("<int:pk>/print/", staff_views.referral_print, name="print"),
    path("<int:pk>/send/", staff_views.referral_send, name="send"),
    path("<int:pk>/answer/", staff_views.referral_answer, name="answer"),
    path("<int:pk>/erase/", staff_views.referral_erase, name="erase"),
    path("<int:pk>/disclosure/", staff_views.referral_disclosure, name="disclosure"),
    # The institution directory, kept by ward staff and administrators.
    path("manage/", manage_views.institution_manage, name="manage"),
    path("manage/new/", manage_views.institution_edit, name="institution_new"),
    path("manage/<int:pk>/", manage_views.institution_edit, name="institution_edit"),
    path("manage/<int:pk>/staff/", manage_views.institution_staff, name="institution_staff"),
    path("manage/staff/<int:pk>/remove/", manage_views.staff_remove, name="staff_remove"),
    path("manage/kinds/new/", manage_views.kind_edit, name="kind_new"),
    path("manage/kinds/<int:pk>/", manage_views.kind_edit, name="kind_edit"),
    path("manage/transfer/", transfer_views.upload, name="institution_transfer"),
    path("manage/transfer/commit/", transfer_views.commit, name="institution_commit"),
    path("manage/transfer/export/", transfer_views.export, name="institution_export"),
    path("manage/transfer/template/", transfer_views.template, name="institution_template"),
]
