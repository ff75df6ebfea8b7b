"""The plain page that says what went wrong, in Japanese: errors, and refusals a view explains."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def error_page(
    request: HttpRequest, page: tuple[StrOrPromise, StrOrPromise], status: int
) -> HttpResponse:
    """`page` is (title, message)."""
    title, message = page
    return render(request, "errors/page.html", {"title": title, "message": message}, status=status)
