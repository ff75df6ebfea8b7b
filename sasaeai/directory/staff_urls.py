from django.urls import path

from . import staff_views as views

app_name = "directory_staff"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_edit, name="new"),
    path("needs-confirming/", views.needs_confirming, name="needs_confirming"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/status/", views.activity_status, name="status"),
    path("<int:pk>/confirm/", views.activity_confirm, name="confirm"),
]
