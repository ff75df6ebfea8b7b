"""The area pages keep their namespace, `areas` (`Area.get_absolute_url`, templates), though
the view lives in core: it gathers several apps."""

from django.urls import path

from . import area_views

app_name = "areas"
urlpatterns = [path("<slug:code>/", area_views.detail, name="detail")]
