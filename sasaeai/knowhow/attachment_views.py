"""A case's photos and files: added and removed on the case page by those who may change it,
photos shown to staff who read the case (and, with consent and not internal, on the public
page of a public case), files downloaded by staff who read the case. Every object comes through
lookups.py (404 or 403, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sasaeai.accounts import access
from sasaeai.lib import photos

from . import attachments, lookups
from .models import CasePhoto

VIEW = lookups.VIEW


def _refused(request: HttpRequest, form: attachments.PhotoForm | attachments.FileForm) -> None:
    for errors in form.errors.values():
        messages.error(request, str(errors[0]))


@require_POST
@access.require(VIEW)
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.ATTACH)
    form = attachments.PhotoForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        attachments.add_photo(case, form, by=request.user)
        messages.success(request, _("写真を追加しました。"))
    else:
        _refused(request, form)
    return redirect(f"{case.get_absolute_url()}#s-photos")


@require_POST
@access.require(VIEW)
def photo_remove(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.ATTACH)
    found = case.photos.filter(pk=photo).first()
    if found is None:
        raise Http404
    found.delete()  # its file goes once this commits
    messages.success(request, _("写真を外しました。"))
    return redirect(f"{case.get_absolute_url()}#s-photos")


@require_POST
@access.require(VIEW)
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.ATTACH)
    form = attachments.FileForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        attachments.add_file(case, form, by=request.user)
        messages.success(request, _("資料を追加しました。"))
    else:
        _refused(request, form)
    return redirect(f"{case.get_absolute_url()}#s-files")


@require_POST
@access.require(VIEW)
def file_remove(request: HttpRequest, pk: int, file: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.ATTACH)
    found = case.files.filter(pk=file).first()
    if found is None:
        raise Http404
    found.delete()
    messages.success(request, _("資料を外しました。"))
    return redirect(f"{case.get_absolute_url()}#s-files")


def _photo_response(found: CasePhoto | None, name: str, cache: str) -> HttpResponse:
    if found is None or found.file_name != name:
        raise Http404  # a removed photo's old address, or a guess
    stored = photos.read(found.image.storage, found.image.name or "")
    if stored is None:
        raise Http404
    response = HttpResponse(stored[0], content_type=stored[1])
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@access.require(VIEW)
def photo(request: HttpRequest, pk: int, photo: int, name: str) -> HttpResponse:
    """A case's photo (any of them, internal too) to staff who read the case."""
    case = lookups.case(request, pk)
    found = case.photos.filter(pk=photo).first()
    return _photo_response(found, name, "private, no-store")


@access.public
@require_GET
def public_photo(request: HttpRequest, pk: int, photo: int, name: str) -> HttpResponse:
    """A public case's photo whose people agreed to it and that is not internal; else 404."""
    case = lookups.public_case(request, pk)
    found = case.photos.filter(pk=photo, consent=True, internal=False).first()
    return _photo_response(found, name, "public, max-age=300")


@require_GET
@access.require(VIEW)
def file_download(request: HttpRequest, pk: int, file: int) -> HttpResponse:
    """A case's file, to staff who read the case, under the name it came with."""
    case = lookups.case(request, pk)
    found = case.files.filter(pk=file).first()
    content = attachments.read_file(found) if found is not None else None
    if found is None or content is None:
        raise Http404
    response = HttpResponse(content, content_type=attachments.CONTENT_TYPES[found.kind])
    response["Content-Disposition"] = _disposition(found.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(name: str) -> str:
    return content_disposition_header(as_attachment=True, filename=name) or "attachment"
