from django.urls import path

from . import survey_public_views, views

app_name = "needs"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("new/thanks/", views.thanks, name="thanks"),
    path("surveys/thanks/", survey_public_views.thanks, name="survey_thanks"),
    path("surveys/<slug:token>/", survey_public_views.answer, name="survey"),
]
