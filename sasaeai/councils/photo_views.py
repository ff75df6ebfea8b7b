"""A meeting's photos, kept with its minutes: add (on the minutes page), remove (after a
confirmation), and show them to staff who may view the council's area. Never public: no
public page links them, and the photo view answers 404 to anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib import photos

from . import lookups
from .forms import MeetingPhotoForm
from .models import PHOTOS_A_MEETING, Meeting, MeetingPhoto

VIEW, EDIT = lookups.VIEW, lookups.EDIT


def photo_context(meeting: Meeting, form: MeetingPhotoForm | None = None) -> dict[str, object]:
    """What the minutes page shows of the photos: those kept, and the form to add one."""
    return {
        "photos": list(meeting.photos.all()),
        "photo_form": form or MeetingPhotoForm(meeting=meeting),
        "photos_a_meeting": PHOTOS_A_MEETING,
    }


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's photos; whoever may edit it adds one here. A refused file shows its
    reason beside the field and keeps nothing."""
    meeting = lookups.meeting(request, pk, EDIT if request.method == "POST" else VIEW)
    form = MeetingPhotoForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            MeetingPhoto.objects.create(
                meeting=meeting, image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"], added_by=request.user,  # type: ignore[misc]
            )  # fmt: skip
        messages.success(request, _("写真を追加しました。"))
        return redirect("councils_staff:photo_add", meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "meeting": meeting, "can_edit": lookups.can_edit(request, meeting),
        **photo_context(meeting, form),
    }  # fmt: skip
    return render(request, "councils/staff/photos.html", context, status=status)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first; on confirmation remove the row, and its file once that commits. An annual
    report already approved keeps its own copy (reports/services.py)."""
    photo = lookups.photo(request, pk, EDIT)
    meeting = photo.meeting
    if request.method == "POST":
        photo.delete()
        messages.success(request, _("写真を外しました。"))
        return redirect("councils_staff:photo_add", meeting.pk)
    return render(request, "councils/staff/photo_remove.html", {"meeting": meeting, "photo": photo})


@require_GET
@access.require(VIEW)
def photo(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A meeting's photo, to staff who may view the council's area (404 to anyone else, and
    to an old or guessed file name); never cached."""
    found = lookups.photo(request, pk)
    if found.file_name != name:
        raise Http404
    stored = photos.read(found.image.storage, found.image.name or "")
    if stored is None:
        raise Http404
    response = HttpResponse(stored[0], content_type=stored[1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
