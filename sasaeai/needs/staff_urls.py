from django.urls import URLPattern

app_name = "needs_staff"
urlpatterns: list[URLPattern] = []
