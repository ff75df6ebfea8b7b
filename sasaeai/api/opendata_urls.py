"""/opendata/: the open data page, its DCAT catalogue and the data sets (opendata_views.py)."""

from django.urls import path

from . import opendata_views as views

app_name = "opendata"
urlpatterns = [
    path("", views.page, name="page"),
    path("catalog.json", views.catalog, name="catalog"),
    path("hsds.zip", views.hsds_zip, name="hsds"),
    path("events.csv", views.events_csv, name="events"),
    path("institutions.csv", views.institutions_csv, name="institutions"),
]
