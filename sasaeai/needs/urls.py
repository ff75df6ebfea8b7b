from django.urls import path

from . import helper_public_views, peer_views, views

app_name = "needs"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("new/thanks/", views.thanks, name="thanks"),
    path("helpers/new/", helper_public_views.new, name="helper_new"),
    path("helpers/new/thanks/", helper_public_views.thanks, name="helper_thanks"),
    path("helpers/remove/", helper_public_views.remove, name="helper_remove"),
    path("helpers/remove/done/", helper_public_views.removed, name="helper_removed"),
    path("peers/", peer_views.public_peer_list, name="peers"),
]
