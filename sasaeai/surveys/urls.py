from django.urls import path

from . import public_views

# Mounted under /needs/surveys/, where the links and QR codes printed on paper point.
app_name = "surveys"
urlpatterns = [
    path("thanks/", public_views.thanks, name="survey_thanks"),
    path("<slug:token>/", public_views.answer, name="survey"),
]
