from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [path("<slug:code>/", views.detail, name="detail")]
