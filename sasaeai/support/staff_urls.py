from django.urls import URLPattern

app_name = "support_staff"
urlpatterns: list[URLPattern] = []
