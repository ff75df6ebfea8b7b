from django.urls import URLPattern

app_name = "councils"
urlpatterns: list[URLPattern] = []
