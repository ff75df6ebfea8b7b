from django.urls import path

from . import transfer_views as views

app_name = "transfer"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("commit/", views.commit, name="commit"),
    path("export/", views.export, name="export"),
    path("template/", views.template, name="template"),
]
