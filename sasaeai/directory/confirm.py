"""The organisers confirm their own listing (issue 30): plain functions for views and tasks.

- The ward opens a season (`open_season`): one batch per region, made at once.
- A region's SC makes its batch (confirm_tasks.make_batch, in the worker): each published
  activity gets a request with a fresh code, printed on its sheet with a QR code of its link
  (confirm_sheets.py); with `by_mail`, organisers with an address get the link by mail
  instead (`mail_requests`, in the worker too: the code is drawn where it is sent).
- The code is a secret of CODE_LENGTH characters from an alphabet without look-alikes; only
  its keyed hash is stored (`code_hash`). Issuing again (`issue`) overwrites the hash: the old
  sheet or mail stops working at once. The link stops at the end of the season's last day.
- The organiser answers on the page the code opens, without an account: no change confirms
  the activity (`services.confirm_running`), a correction becomes a proposal the region's SC
  reviews with the other residents' proposals, listing what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import links

from . import services
from .models import (
    Activity,
    ActivityQuerySet,
    Answer,
    ConfirmationBatch,
    ConfirmationRequest,
    ConfirmationSeason,
    Proposal,
    ProposalKind,
    SentHow,
)

# No 0/O, 1/I/L: read off a postcard and typed by someone over 70.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10, about 49 bits: beyond guessing at 20 misses an hour per address


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What someone typed, as a code: full-width and lower case folded, anything but
    letters and digits (spaces, hyphens, ー) dropped."""
    text = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def hash_code(code: str) -> str:
    """The keyed hash that is stored: without the site's secret key it opens nothing."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def shown(code: str) -> str:
    """The code as printed, in two groups: ABCDE-FGHJK."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def find(code: str) -> ConfirmationRequest | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return ConfirmationRequest.objects.by_hash(hash_code(code))


# The season and its batches --------------------------------------------------------------


@transaction.atomic
def open_season(
    municipality: Area, name: str, starts_on: dt.date, ends_on: dt.date, by: Any
) -> ConfirmationSeason:
    """Open a season, with an empty batch for each region of the municipality."""
    season = ConfirmationSeason.objects.create(
        municipality=municipality, name=name, starts_on=starts_on, ends_on=ends_on, opened_by=by
    )
    regions = Area.objects.of(municipality).regions().order_by("path")
    ConfirmationBatch.objects.bulk_create(
        [ConfirmationBatch(season=season, area=region) for region in regions]
    )
    return season


def candidates(region: Area) -> ActivityQuerySet:
    """The activities whose organisers get a sheet: those the public sees, in listing order."""
    return (
        Activity.objects.within(region)
        .public()
        .select_related("area", "organization")
        .prefetch_related("schedules", "places", "kinds")
        .order_by("kana", "name", "pk")
    )


def issue(
    batch: ConfirmationBatch, activity: Activity, how: str = SentHow.POST
) -> tuple[ConfirmationRequest, str]:
    """A fresh code for the activity's request in the batch (made on first issue); the old
    code, if any, stops working. Returns the request and the code, which is stored nowhere."""
    code = new_code()
    request = ConfirmationRequest.objects.filter(batch=batch, activity=activity).first()
    now = timezone.now()
    if request is None:
        request = ConfirmationRequest.objects.create(
            batch=batch, activity=activity, code_hash=hash_code(code), issued_at=now, sent_how=how
        )
    else:
        request.code_hash = hash_code(code)
        request.issued_at = now
        request.times_issued += 1
        request.sent_how = how
        request.save(update_fields=["code_hash", "issued_at", "times_issued", "sent_how"])
    return request, code


def reissue(request: ConfirmationRequest) -> str:
    """A new code for the request (the SC's 「コードを発行し直す」); the old one stops."""
    return issue(request.batch, request.activity, request.sent_how)[1]


def site(municipality: Area, fallback: str = "") -> str:
    """The public site's address, where the QR codes lead (as the booklets do)."""
    found = links.absolute("/", municipality)
    return found if found.startswith("http") else (fallback or "http://localhost/")


def link(code: str, base: str) -> str:
    """The organiser's page for this code, absolute (for the QR code and the mail)."""
    return base.rstrip("/") + reverse("confirm:answer", args=[code])


# The organiser's answers ------------------------------------------------------------------


@transaction.atomic
def confirm_unchanged(request: ConfirmationRequest) -> None:
    """「変わりありません」: the activity is confirmed today."""
    services.confirm_running(request.activity)
    request.answer = Answer.CONFIRMED
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])


@transaction.atomic
def correct(
    request: ConfirmationRequest, changes: list[list[str]], note: str, contact: str
) -> Proposal:
    """A correction: a proposal for the region's SC to review, naming each changed field
    (before → after). Nothing on the public listing changes until the SC acts."""
    activity = request.activity
    lines = [_("活動確認はがきから、主催者が訂正を送りました。")]
    lines += [
        _("【%(label)s】いま: %(before)s → 正しくは: %(after)s")
        % {"label": label, "before": before or _("（なし）"), "after": after or _("（なし）")}
        for label, before, after in changes
    ]
    if note:
        lines.append(_("【そのほか】%(note)s") % {"note": note})
    proposal = Proposal.objects.create(
        municipality=activity.municipality,
        area=activity.area,
        activity=activity,
        kind=ProposalKind.CORRECTION,
        name=activity.name,
        details="\n".join(lines),
        sender_name=_("主催者（活動確認）"),
        sender_contact=contact,
    )
    request.answer = Answer.CORRECTED
    request.answered_at = timezone.now()
    request.changes = changes
    request.proposal = proposal
    request.save(update_fields=["answer", "answered_at", "changes", "proposal"])
    return proposal


# The SC's view of a season -----------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    batch: ConfirmationBatch
    sent: int
    confirmed: int
    corrected: int

    @property
    def waiting(self) -> int:
        return self.sent - self.confirmed - self.corrected


def progress(batches: Any) -> list[Progress]:
    """Each batch's counts: sent, confirmed, corrected (and, from them, no answer yet)."""
    counted = batches.select_related("area").annotate(
        n_sent=Count("requests"),
        n_confirmed=Count("requests", filter=Q(requests__answer=Answer.CONFIRMED)),
        n_corrected=Count("requests", filter=Q(requests__answer=Answer.CORRECTED)),
    )
    return [Progress(b, b.n_sent, b.n_confirmed, b.n_corrected) for b in counted]


# Mail ------------------------------------------------------------------------------------


def mail_text(request: ConfirmationRequest, code: str, base: str) -> tuple[str, str]:
    """The subject and body of the mail: the activity's name, the link and its deadline.
    No contact details: a mail may be forwarded or misdelivered."""
    season = request.batch.season
    region = request.batch.area.name
    subject = _("【%(region)s】活動の掲載内容のご確認のお願い") % {"region": region}
    until = season.ends_on.strftime("%Y-%m-%d")
    body = "\n\n".join(
        [
            _("「%(name)s」の主催者の方へ") % {"name": request.activity.name},
            _(
                "区の支え合い活動の案内に載っている内容が、いまも正しいかを確かめています。"
                "次のページで「変わりありません」を押すか、変わったところを直してください"
                "（%(until)sまで）。"
            )
            % {"until": until}
            + "\n"
            + link(code, base),
            _("確認コード: %(code)s") % {"code": shown(code)},
            _(
                "このページはこの活動専用です。わからないときや、心当たりがないときは、"
                "%(region)sの生活支援コーディネーター（SC）にお問い合わせください。"
            )
            % {"region": region},
        ]
    )
    return subject, body + "\n"
