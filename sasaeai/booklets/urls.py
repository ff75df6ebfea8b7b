from django.urls import path

from . import views

app_name = "booklets"
urlpatterns = [
    path("", views.index, name="index"),
    path("editions/<int:pk>/", views.edition_page, name="edition"),
    path("editions/<int:pk>/texts/", views.texts, name="texts"),
    path("editions/<int:pk>/activities/", views.choose, name="choose"),
    path("editions/<int:pk>/columns/", views.columns, name="columns"),
    path("editions/<int:pk>/preview/", views.preview, name="preview"),
    path("editions/<int:pk>/make/", views.make, name="make"),
    path("editions/<int:pk>/finish/", views.finish, name="finish"),
    path("editions/<int:pk>/guidebook.pdf", views.pdf, name="pdf"),
    path("editions/<int:pk>/sheet.pdf", views.sheet, name="sheet"),
    path("<slug:code>/", views.area_page, name="area"),
]
