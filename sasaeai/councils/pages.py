"""The one page layout shared by the councils' simple forms."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Council, Meeting


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    submit: str,
    back: str,
    council: Council | None = None,
    meeting: Meeting | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "back": back,
        "council": council or (meeting.council if meeting else None),
        "meeting": meeting,
        **extra,
    }
    return render(request, "councils/staff/form.html", context, status=status)
