from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/photo/<str:name>", views.photo, name="photo"),
    path("propose/", views.propose, name="propose"),
    path("propose/thanks/", views.propose_thanks, name="propose_thanks"),
]
