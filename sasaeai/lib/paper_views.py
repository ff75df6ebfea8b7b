"""The page every paper form shares (lib/paper_forms.py): a returned sheet attached by its
reference. Each app's view names which sheets the person may fill and its template (which
extends templates/includes/paper/attach.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import paper_forms

type Seal = Callable[[Any], ContentFile[bytes]]


def attach_page(
    request: HttpRequest,
    sheets: models.QuerySet[Any],
    template: str,
    *,
    seal: Seal | None = None,
) -> HttpResponse:
    """A sheet that came back, found by its reference among `sheets` (those this person may
    fill) and its image kept — through `seal` first where it must be stored encrypted. An
    unknown or used reference is told and nothing is kept."""
    form = paper_forms.AttachForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet = form.find(sheets)
        if sheet is not None:
            scan = form.cleaned_data["scan"]
            paper_forms.attach(sheet, seal(scan) if seal else scan, by=request.user)
            done = _("用紙 %(r)s を取り込みました。横の画像を見ながら入力してください。")
            messages.success(request, done % {"r": sheet.reference})
            return redirect(sheet)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)
