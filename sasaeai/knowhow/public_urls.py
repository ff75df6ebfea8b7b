from django.urls import path

from . import attachment_views, public_views

app_name = "knowhow"
urlpatterns = [
    path("", public_views.case_list, name="list"),
    path("<int:pk>/", public_views.case_page, name="case"),
    path("<int:pk>/photos/<int:photo>/<str:name>", attachment_views.public_photo, name="photo"),
]
