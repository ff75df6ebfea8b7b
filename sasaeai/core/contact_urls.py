from django.urls import path

from . import contact_views

app_name = "contacts_staff"
urlpatterns = [
    path("", contact_views.staff_list, name="list"),
    path("<slug:code>/", contact_views.edit, name="edit"),
]
