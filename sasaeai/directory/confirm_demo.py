"""Demo data of the organisers' confirmation (issue 30): this year's season, open since a
month ago; 高島平's postcards sent, with some answers (no change, a correction), the rest
waiting. No PDF is made here (the worker makes it when the SC asks)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area

from . import confirm
from .models import ConfirmationRequest, ConfirmationSeason, SentHow


def build_confirmations(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Open a season and send 高島平's requests; about a third confirmed, a few corrected.
    Return how many were sent; nothing when the municipality has a season already."""
    if ConfirmationSeason.objects.of(municipality).exists():
        return 0
    rng = random.Random(seed + 30)
    today = today or timezone.localdate()
    ward = User.objects.filter(email="ward@demo.sasaeai.jp").first()
    name = f"{today.year}年度 活動確認（はがき）"
    with transaction.atomic():
        season = confirm.open_season(
            municipality, name, today - dt.timedelta(days=30), today + dt.timedelta(days=30), ward
        )
        batch = season.batches.filter(area__code="takashimadaira").first()
        if batch is None:
            return 0
        sent = 0
        for activity in confirm.candidates(batch.area):
            how = SentHow.MAIL if activity.contact_email else SentHow.POST
            request, _code = confirm.issue(batch, activity, how)
            if how == SentHow.MAIL:  # as if the worker had mailed it
                ConfirmationRequest.objects.filter(pk=request.pk).update(mailed_at=timezone.now())
            sent += 1
            draw = rng.random()
            if draw < 0.35:
                confirm.confirm_unchanged(request)
            elif draw < 0.45:
                fee = activity.fee or "無料"
                changes = [["参加費", fee, "200円（お茶代）"]]
                confirm.correct(request, changes, "4月から参加費が変わりました。", "")
    return sent
