from django.urls import include, path

from . import views

app_name = "progress_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("goals/<int:pk>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("goals/<int:pk>/comments/", views.comment, name="comment"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/reach/", views.milestone_reach, name="milestone_reach"),
    path("milestones/<int:pk>/unreach/", views.milestone_unreach, name="milestone_unreach"),
    path("year/close/", views.close_year, name="close_year"),
    path("year/reopen/", views.reopen_year, name="reopen_year"),
    path("survey.xlsx", views.survey_workbook, name="survey"),
    path("", include("sasaeai.progress.entry_urls")),
    path("<slug:code>/", views.area_page, name="area"),
    path("<slug:code>/goals/new/", views.goal_edit, name="goal_new"),
    path("<slug:code>/figures/", views.figures_page, name="figures"),
]
