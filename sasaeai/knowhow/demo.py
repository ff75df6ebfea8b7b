"""Demo cases, called by core.demo.load_demo after the progress figures: 24 cases from the 18
regions of Itabashi and its blocks, across the three stages and the five ★ questions, written
by the demo's SC, sent and published by the block or the ward through the services (so their
history reads as the demo users' steps); two wait for review and two are drafts. The text is
written for the demo, in the way the guidebook's own examples read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.directory.models import Kind

from . import services
from .chart_demo import build_charts
from .demo_cases import CASES, add_demo_photos
from .models import Audience, Case, CaseStatus
from .questions_demo import build_questions


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


def build_knowhow(municipality: Area, today: dt.date | None = None) -> int:
    """The demo cases (once: nothing when the municipality has cases); how many were made."""
    build_charts(municipality, today)  # once, by its own check: the cases may be there already
    if Case.objects.of(municipality).exists():
        return 0
    today = today or dt.date.today()
    writer = User.objects.filter(email="sc@demo.sasaeai.jp").first()
    reviewer = User.objects.filter(email="ward@demo.sasaeai.jp").first()
    themes = {t.name: t for t in services.ensure_themes(municipality)}
    kinds = {k.code: k for k in Kind.objects.of(municipality)}
    areas = {a.code: a for a in Area.objects.of(municipality)}
    made = 0
    for demo in CASES:
        place = areas.get(demo.region)
        if place is None:
            continue
        case = Case(
            area=place, title=demo.title, stage=demo.stage,
            happened_on=_months_before(today, demo.months_ago),
            background=demo.background, steps=demo.steps, results=demo.results, tips=demo.tips,
            next_challenges=demo.next_challenges,
            audience=Audience.PUBLIC if demo.public else Audience.STAFF,
        )  # fmt: skip
        role, words = demo.voice
        voices = [services.VoiceText(role=role, words=words)] if role else []
        links: dict[str, list[Any]] = {
            "themes": [themes[n] for n in demo.themes if n in themes],
            "kinds": [kinds[c] for c in demo.kinds if c in kinds],
        }
        case = services.save_case(
            case, by=writer, questions=demo.questions, voices=voices, links_to=links
        )
        if demo.status != CaseStatus.DRAFT:
            case = services.send_for_review(case, by=writer)
        if demo.status == CaseStatus.PUBLISHED:
            services.publish(case, by=reviewer)
        made += 1
    _mark_some_useful(municipality)
    add_demo_photos(municipality)
    build_questions(municipality)
    return made


def _mark_some_useful(municipality: Area) -> None:
    """A few "役に立った" from the demo's people, so the home page orders by them."""
    people = list(User.objects.filter(email__endswith="@demo.sasaeai.jp").order_by("pk"))
    published = list(Case.objects.of(municipality).published().order_by("pk"))
    for i, case in enumerate(published):
        for person in people[: (i * 7) % (len(people) + 1)]:
            services.mark_useful(case, person)


__all__ = ["build_knowhow"]
