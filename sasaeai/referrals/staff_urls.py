from django.urls import URLPattern

app_name = "referrals_staff"
urlpatterns: list[URLPattern] = []
