"""Demo booklets, called by core.demo.load_demo: one draft edition of this 年度 per region,
with the council's texts and a コラム. Their PDFs are made from the page (a few seconds
each), not here: the demo loads in seconds."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.lib.fiscal import fiscal_year_of

from .models import Column, Edition

WELCOME = (
    "{name}で開かれている集まりや活動を、この一冊にまとめました。\n"
    "気になるものがあれば、まずは気軽にのぞいてみてください。"
    "わからないことは、うしろの相談先へどうぞ。"
)


def build_booklets(municipality: Area) -> int:
    """One edition per region (none where one exists already); how many were made."""
    year = fiscal_year_of(timezone.localdate())
    made = 0
    for region in Area.objects.of(municipality).regions().order_by("sort_order", "path"):
        if Edition.objects.filter(area=region, fiscal_year=year).exists():
            continue
        edition = Edition.objects.create(
            area=region, fiscal_year=year, issued_by=f"{region.name} 支え合い会議",
            issued_on=dt.date(year, 6, 1), welcome=WELCOME.format(name=region.name),
            back_cover="ひとりで悩まず、まずは声をかけてください。",
        )  # fmt: skip
        Column.objects.create(
            edition=edition, title="はじめて参加した日のこと", position=1,
            body="近所の方に誘われてサロンに行きました。顔見知りが増えて、散歩が楽しみになりました。",
        )  # fmt: skip
        made += 1
    return made
