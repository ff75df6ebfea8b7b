from django.urls import path

from . import contact_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("contacts/", contact_views.public_list, name="contacts"),
    path("prefs/text-size/", views.text_size, name="text_size"),
    path("prefs/furigana/", views.furigana_switch, name="furigana"),
]
