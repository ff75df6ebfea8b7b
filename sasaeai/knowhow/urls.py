from django.urls import path

from . import questions_views as questions
from . import views

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
]
