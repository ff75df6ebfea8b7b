from django.urls import URLPattern

app_name = "events_staff"
urlpatterns: list[URLPattern] = []
