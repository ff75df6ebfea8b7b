"""The printed confirmation sheets (issue 30): one A6 postcard or A4 letter per activity, with
the listing as the public sees it, the QR code of the organiser's page and the code to type.

A region's batch (about 80 sheets) is made by the task worker (confirm_tasks.make_batch),
with its progress on the SC's page; `build` issues each code as it lays out its sheet, so the
codes exist only in the PDF (and its hash in the database). Reminders and a single reissued
sheet are small and made while the SC waits.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import AreaContact
from sasaeai.lib import jobs
from sasaeai.lib.pdf import render_pdf

from . import confirm
from .models import Activity, ConfirmationBatch, ConfirmationRequest, Paper, SentHow

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
STYLES = {Paper.POSTCARD: HERE / "confirm-postcard.css", Paper.LETTER: HERE / "confirm-letter.css"}
PART = 20  # sheets laid out at once: the progress moves, the memory stays small


def qr_png(url: str) -> str:
    """The QR code of `url` as a PNG data URI, one pixel per module, drawn large and sharp
    (`image-rendering: pixelated`), as the booklets draw theirs; a high correction level, as a
    postcard gets creased and stamped. One fixed mask pattern, as the booklets found: the
    library's search for the best of the eight took most of the time."""
    code = qrcode.QRCode(
        border=2, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_Q, mask_pattern=2
    )
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@dataclass(frozen=True)
class Sheet:
    activity: Activity
    code: str
    url: str
    qr: str

    @property
    def shown_code(self) -> str:
        return confirm.shown(self.code)


def sheet(request: ConfirmationRequest, code: str, base: str) -> Sheet:
    url = confirm.link(code, base)
    return Sheet(request.activity, code, url, qr_png(url))


def render(
    batch: ConfirmationBatch, sheets: Sequence[Sheet], base: str, *, reminder: bool = False
) -> bytes:
    """The sheets of a batch as one PDF, on the batch's paper."""
    context: dict[str, Any] = {
        "batch": batch,
        "season": batch.season,
        "region": batch.area,
        "desk": AreaContact.objects.nearest(batch.area),
        "sheets": sheets,
        "enter_url": base.rstrip("/") + "/confirm/",
        "reminder": reminder,
        "today": timezone.localdate(),
    }
    style = STYLES[Paper(batch.paper)]
    return render_pdf(
        "directory/confirm/sheets_pdf.html", context, base_url=base, stylesheets=[style]
    )


def _joined(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(
    batch: ConfirmationBatch, base: str, mail: Callable[[list[int]], Any] | None = None
) -> None:
    """Issue a code to each published activity of the region and lay out its sheet; those
    with an address get a mail instead when the batch says so (`mail` gets their request
    ids: it draws their codes itself). The PDF is kept on the batch; the job's progress is
    written as the parts are laid out. A failure is recorded on the batch and logged."""
    try:
        activities = list(confirm.candidates(batch.area))
        jobs.begin(batch, max(1, len(activities)))
        by_post, by_mail = [], []
        for activity in activities:
            if batch.by_mail and activity.contact_email:
                by_mail.append(confirm.issue(batch, activity, SentHow.MAIL)[0].pk)
            else:
                by_post.append(activity)
        done = len(by_mail)
        parts: list[bytes] = []
        for start in range(0, len(by_post), PART):
            run = [
                sheet(*confirm.issue(batch, a, SentHow.POST), base)
                for a in by_post[start : start + PART]
            ]
            parts.append(render(batch, run, base))
            done += len(run)
            jobs.advance(batch, done)
        if not parts:
            parts.append(render(batch, [], base))
        pdf = _joined(parts)
    except Exception:
        log.exception("The confirmation batch %s could not be made", batch.pk)
        jobs.fail(batch, _("作成の途中で問題が起きました。もう一度お試しください。"))
        return
    old = batch.pdf.name if batch.pdf else ""
    batch.pdf.save(f"confirm-{batch.area.code}-{batch.season_id}.pdf", ContentFile(pdf), save=False)
    batch.made_at = timezone.now()
    ConfirmationBatch.objects.filter(pk=batch.pk).update(pdf=batch.pdf.name, made_at=batch.made_at)
    if old and old != batch.pdf.name:
        batch.pdf.storage.delete(old)
    jobs.finish(batch)
    if by_mail and mail is not None:
        mail(by_mail)


def reminders(batch: ConfirmationBatch, base: str) -> tuple[bytes, int]:
    """New sheets for the activities sent by post that have not answered: each gets a new
    code (the first sheet's stops working). Returns the PDF and how many it holds."""
    waiting = list(
        batch.requests.unanswered()
        .filter(sent_how=SentHow.POST)
        .select_related("activity__area", "activity__organization")
        .prefetch_related("activity__schedules", "activity__places", "activity__kinds")
    )
    now = timezone.now()
    sheets = [sheet(r, confirm.reissue(r), base) for r in waiting]
    ConfirmationRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(reminded_at=now)
    return render(batch, sheets, base, reminder=True), len(sheets)
