"""The staff's own API tokens, under /staff/api-tokens/."""

from django.urls import path

from . import token_views

app_name = "api_tokens"
urlpatterns = [
    path("", token_views.tokens_page, name="list"),
    path("revoke/", token_views.revoke, name="revoke"),
]
