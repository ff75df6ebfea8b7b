from django.urls import URLPattern

app_name = "budgets_staff"
urlpatterns: list[URLPattern] = []
