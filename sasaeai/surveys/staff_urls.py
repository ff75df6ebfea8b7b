from django.urls import path

from . import result_views, views

# Mounted under /staff/needs/surveys/, the addresses staff have bookmarked.
app_name = "surveys_staff"
urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("new/", views.survey_edit, name="survey_new"),
    path("<int:pk>/", views.survey_detail, name="survey"),
    path("<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:pk>/publish/", views.survey_publish, name="survey_publish"),
    path("<int:pk>/close/", views.survey_close, name="survey_close"),
    path("<int:survey_pk>/questions/new/", views.question_edit, name="question_new"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/up/", views.question_up, name="question_up"),
    path("questions/<int:pk>/down/", views.question_down, name="question_down"),
    path("<int:pk>/results/", result_views.survey_results, name="survey_results"),
    path("<int:pk>/export/", result_views.survey_export, name="survey_export"),
    path("<int:pk>/paper/", result_views.survey_paper, name="survey_paper"),
    path("answers/<int:pk>/need/", result_views.answer_to_need, name="answer_to_need"),
]
