"""Making, finishing and reprinting a booklet edition: plain functions for views and tasks."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import AreaKind
from sasaeai.lib import jobs, links
from sasaeai.lib.notices import Message, notify

from . import content, document
from .models import Edition, EditionStatus, Notice

log = logging.getLogger(__name__)
# A booklet of at most this many activities is made while the person waits (about 5 s for
# a hundred); a larger one by the task worker, with its progress on the page.
AT_ONCE = 150


def base_url(edition: Edition, fallback: str = "") -> str:
    """The public site's address, where the QR codes lead: the configured one or the
    municipality's host name, else `fallback` (the address the request came by)."""
    site = links.absolute("/", edition.municipality)
    return site if site.startswith("http") else (fallback or "http://localhost/")


def make(edition: Edition, by: Any, site: str = "") -> bool:
    """Start making the edition's PDFs; False when a making of it is already queued or
    running (nothing more is started). A small booklet is made at once, a large one queued
    for the worker (tasks.make_booklet), which tells `by` when it is done."""
    if edition.is_finished or not jobs.claim(edition):
        return False
    url = base_url(edition, site)
    if content.candidates(edition.area).count() <= AT_ONCE:
        build(edition, site=url)
        return True
    from .tasks import make_booklet  # the tasks module imports this one

    user_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: make_booklet.enqueue(edition.pk, user_id, url), robust=True)
    return True


def build(edition: Edition, by_id: int | None = None, site: str = "") -> None:
    """Make the PDFs from today's activities and texts, and store them with what went in.
    A failure is recorded on the edition (its reason for people) and logged."""
    try:
        url = site or base_url(edition)
        gathered = content.collect(edition, url)
        jobs.begin(edition, max(1, gathered["count"]))
        stored = _stored(gathered)
        pdf = document.booklet_pdf(gathered, url, lambda done: jobs.advance(edition, done))
        # The one sheet lists a region's activities; a block's or the ward's would not fit one.
        sheet = document.sheet_pdf(gathered, url) if edition.area.kind == AreaKind.REGION else b""
    except Exception:
        log.exception("The booklet %s could not be made", edition.pk)
        jobs.fail(edition, _("作成の途中で問題が起きました。もう一度お試しください。"))
        return
    _save(edition, stored, pdf, sheet)
    jobs.finish(edition)
    if by_id is not None:
        _tell(edition, by_id)


def _stored(gathered: dict[str, Any]) -> dict[str, Any]:
    """The content as it is kept: without what is drawn from it (QR codes, photo data)."""
    import copy

    return copy.deepcopy(gathered)


def _save(edition: Edition, stored: dict[str, Any], pdf: bytes, sheet: bytes) -> None:
    old = [f.name or "" for f in (edition.pdf, edition.sheet) if f]
    name = f"booklet-{edition.area.code}-{edition.fiscal_year}"
    edition.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    if sheet:
        edition.sheet.save(f"{name}-sheet.pdf", ContentFile(sheet), save=False)
    else:
        edition.sheet = None  # type: ignore[assignment]
    edition.content = stored
    edition.made_at = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        pdf=edition.pdf.name,
        sheet=edition.sheet.name or "",
        content=stored,
        made_at=edition.made_at,
    )
    # The old files go once the new ones are kept: a rollback keeps the row pointing at them.
    storage = edition.pdf.storage
    for name in old:
        if name not in (edition.pdf.name, edition.sheet.name):
            transaction.on_commit(partial(storage.delete, name), robust=True)


def _tell(edition: Edition, user_id: int) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None:
        return
    link = links.absolute(reverse("booklets:edition", args=[edition.pk]), edition.municipality)
    message = Message(
        subject=_("ガイドブックができあがりました"),
        lead=_("ガイドブック（B-%(pk)05d）のPDFができあがりました。") % {"pk": edition.pk},
        link=link,
    )
    notify([user], Notice, message, edition=edition)


def finish(edition: Edition) -> bool:
    """Keep the edition as it was made: its PDFs and content are not made again, whatever
    happens to the activities later. False when there is no made PDF to keep, or one is
    being made."""
    if not edition.pdf or edition.job_busy or edition.job_status != jobs.JobStatus.DONE:
        return False
    edition.status = EditionStatus.FINISHED
    edition.finished_at = timezone.now()
    edition.save(update_fields=["status", "finished_at", "updated_at"])
    return True


def stale(edition: Edition) -> bool:
    """Whether texts or choices changed after the PDF was made (a draft shows it)."""
    return bool(edition.made_at and edition.updated_at > edition.made_at)
