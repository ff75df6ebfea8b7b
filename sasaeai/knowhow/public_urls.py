from django.urls import path

from . import public_views

app_name = "knowhow"
urlpatterns = [
    path("", public_views.case_list, name="list"),
    path("<int:pk>/", public_views.case_page, name="case"),
]
