"""Pages for the figures only people know (participants, population), included in
staff_urls.py under the progress_staff namespace."""

from django.urls import URLPattern, path

from . import entry_views, participation_import_views, population_import_views

urlpatterns: list[URLPattern] = [
    path("<slug:code>/participants/", entry_views.participants, name="participants"),
    path(
        "<slug:code>/participants/import/",
        participation_import_views.upload,
        name="participants_import",
    ),
    path(
        "<slug:code>/participants/import/commit/",
        participation_import_views.commit,
        name="participants_commit",
    ),
    path(
        "<slug:code>/participants/template/",
        participation_import_views.template,
        name="participants_template",
    ),
    path("<slug:code>/population/", entry_views.population_page, name="population"),
    path(
        "<slug:code>/population/import/",
        population_import_views.upload,
        name="population_import",
    ),
    path(
        "<slug:code>/population/import/commit/",
        population_import_views.commit,
        name="population_commit",
    ),
    path(
        "<slug:code>/population/template/",
        population_import_views.template,
        name="population_template",
    ),
]
