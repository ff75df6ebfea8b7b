from django.urls import path

from . import attachment_views as attached
from . import case_import_views as imports
from . import chart_views as charts
from . import questions_views as questions
from . import sharing_views as sharing
from . import theme_views, views

app_name = "knowhow_staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="edit"),
    path("cases/<int:pk>/send/", views.send, name="send"),
    path("cases/<int:pk>/approve/", views.approve, name="approve"),
    path("cases/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("cases/<int:pk>/useful/", views.useful, name="useful"),
    path("cases/<int:pk>/photos/", attached.photo_add, name="photo_add"),
    path("cases/<int:pk>/photos/<int:photo>/remove/", attached.photo_remove, name="photo_remove"),
    path("cases/<int:pk>/photos/<int:photo>/<str:name>", attached.photo, name="photo"),
    path("cases/<int:pk>/files/", attached.file_add, name="file_add"),
    path("cases/<int:pk>/files/<int:file>/", attached.file_download, name="file"),
    path("cases/<int:pk>/files/<int:file>/remove/", attached.file_remove, name="file_remove"),
    path("themes/", theme_views.themes, name="themes"),
    path("import/", imports.upload, name="import"),
    path("import/commit/", imports.commit, name="import_commit"),
    path("import/template/", imports.template, name="import_template"),
    path("questions/", questions.question_list, name="questions"),
    path("questions/new/", questions.question_new, name="question_new"),
    path("questions/follow/", questions.follow, name="follow"),
    path("questions/block/<slug:code>/", questions.block_page, name="block"),
    path("questions/<int:pk>/", questions.question_page, name="question"),
    path("questions/<int:pk>/edit/", questions.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", questions.question_delete, name="question_delete"),
    path("questions/<int:pk>/hide/", questions.question_hide, name="question_hide"),
    path("questions/<int:pk>/answer/", questions.answer_new, name="answer_new"),
    path("questions/<int:pk>/helpful/", questions.helpful, name="helpful"),
    path("answers/<int:pk>/edit/", questions.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/delete/", questions.answer_delete, name="answer_delete"),
    path("answers/<int:pk>/hide/", questions.answer_hide, name="answer_hide"),
    path("shared/", sharing.others, name="shared"),
    path("shared/requests/", sharing.requests, name="share_requests"),
    path("shared/cases/<int:pk>/", sharing.case_page, name="shared_case"),
    path("shared/cases/<int:pk>/photos/<int:photo>/<str:name>", sharing.photo, name="shared_photo"),
    path("shared/questions/<int:pk>/", sharing.question_page, name="shared_question"),
    path("cases/<int:pk>/share/", sharing.case_ask, name="share_ask"),
    path("cases/<int:pk>/share/approve/", sharing.case_approve, name="share_approve"),
    path("cases/<int:pk>/share/refuse/", sharing.case_refuse, name="share_refuse"),
    path("cases/<int:pk>/share/withdraw/", sharing.case_withdraw, name="share_withdraw"),
    path("questions/<int:pk>/share/", sharing.question_ask, name="question_share_ask"),
    path(
        "questions/<int:pk>/share/approve/", sharing.question_approve, name="question_share_approve"
    ),
    path("questions/<int:pk>/share/refuse/", sharing.question_refuse, name="question_share_refuse"),
    path(
        "questions/<int:pk>/share/withdraw/",
        sharing.question_withdraw,
        name="question_share_withdraw",
    ),
    path("charts/", charts.chart_list, name="charts"),
    path("charts/new/", charts.chart_new, name="chart_new"),
    path("charts/<int:pk>/", charts.chart_page, name="chart"),
    path("charts/<int:pk>/tally/", charts.chart_tally, name="chart_tally"),
    path("charts/<int:pk>/screen/", charts.chart_screen, name="chart_screen"),
    path("charts/<int:pk>/close/", charts.chart_close, name="chart_close"),
]
