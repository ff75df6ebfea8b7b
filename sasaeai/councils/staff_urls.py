from django.urls import URLPattern

app_name = "councils_staff"
urlpatterns: list[URLPattern] = []
