from django.urls import path

from . import report_views, staff_views, survey_result_views, survey_views

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
    # Surveys (アンケート)
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/new/", survey_views.survey_edit, name="survey_new"),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey"),
    path("surveys/<int:pk>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/publish/", survey_views.survey_publish, name="survey_publish"),
    path("surveys/<int:pk>/close/", survey_views.survey_close, name="survey_close"),
    path("surveys/<int:survey_pk>/questions/new/", survey_views.question_edit,
         name="question_new"),
    path("surveys/questions/<int:pk>/edit/", survey_views.question_edit, name="question_edit"),
    path("surveys/questions/<int:pk>/delete/", survey_views.question_delete,
         name="question_delete"),
    path("surveys/questions/<int:pk>/up/", survey_views.question_up, name="question_up"),
    path("surveys/questions/<int:pk>/down/", survey_views.question_down, name="question_down"),
    path("surveys/<int:pk>/results/", survey_result_views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/export/", survey_result_views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/paper/", survey_result_views.survey_paper, name="survey_paper"),
    path("surveys/answers/<int:pk>/need/", survey_result_views.answer_to_need,
         name="answer_to_need"),
]  # fmt: skip
