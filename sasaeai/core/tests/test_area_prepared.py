"""The region page's queries, written once (lib/prepared.py), find for every area what the
ORM's own queries find: the areas above and within it, its desk, its coming local events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count, Window
from django.utils import timezone

from sasaeai.areas.models import Area, AreaContact, AreaKind
from sasaeai.core import area_views
from sasaeai.events.local_models import LocalEvent
from sasaeai.events.local_services import coming_up
from sasaeai.events.tests.builders import make_local_event
from sasaeai.lib.paths import paths_above
from sasaeai.test import area

pytestmark = pytest.mark.django_db


def test_every_area_finds_what_the_orm_finds(itabashi: Area) -> None:
    AreaContact.objects.create(area=itabashi, post="区の窓口", phone="03-1111-2222")
    AreaContact.objects.create(area=area("blk-akatsuka"), post="赤塚の窓口", phone="03-3333-4444")
    for n, code in enumerate(["takashimadaira", "narimasu", "itabashi", "takashimadaira"]):
        make_local_event(code, title=f"交流会{n}", starts_at=timezone.now() + dt.timedelta(days=n))
    make_local_event(title="終わった会", starts_at=timezone.now() - dt.timedelta(days=2))
    for place in Area.objects.of(itabashi) | Area.objects.filter(pk=itabashi.pk):
        assert area_views._ABOVE(paths_above(place.path)) == list(place.ancestors())
        within = list(Area.objects.within(place).values_list("pk", flat=True))
        assert area_views._WITHIN(place.path) == within
        assert area_views.nearest_desk(place) == AreaContact.objects.nearest(place)
        for limit in (1, 3):
            events, total = coming_up(place, limit)
            plain = (
                LocalEvent.objects.published()
                .upcoming()
                .within(place)
                .annotate(in_all=Window(Count("pk")))[:limit]
            )
            assert events == list(plain)
            assert total == (getattr(plain[0], "in_all", 0) if plain else 0)
            assert all(event.area.pk == event.area_id for event in events)


def test_an_area_code_with_like_wildcards_is_not_taken_as_one(itabashi: Any) -> None:
    """`_` in a path is a character, not LIKE's any character: a_b's areas are not axb's."""
    parent = area("takashimadaira")
    made = {}
    for code in ("a_b", "axb"):
        made[code] = Area.objects.create(
            municipality=itabashi, parent=parent, kind=AreaKind.UNIT, code=code, name=code,
            path=f"{parent.path}/{code}",
        )  # fmt: skip
        Area.objects.create(
            municipality=itabashi, parent=made[code], kind=AreaKind.UNIT, code=f"{code}-1",
            name=f"{code}-1", path=f"{parent.path}/{code}/{code}-1",
        )  # fmt: skip
    for code, place in made.items():
        within = area_views._WITHIN(place.path)
        assert within == list(Area.objects.within(place).values_list("pk", flat=True))
        assert len(within) == 2, code
