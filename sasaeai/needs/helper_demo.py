"""Demo helpers (担い手), 仲間募集 on some published activities, and past introductions.

Drawn from one random.Random(seed), dates counting back from `today`; written with
bulk_create (demo data is nobody's action, so no audit entries). Does nothing when the
municipality already has helpers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity

from .models import (
    ConsentHow,
    EventAction,
    Helper,
    Introduction,
    LookingFor,
    NeedEvent,
    NeedKind,
    Outcome,
    PeerCall,
    Status,
    when_in_words,
)

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["一郎", "花子", "美智子", "健", "明美", "修", "由美", "隆", "京子", "実"]
OFFERS = [
    "買い物に付き添えます。", "電球の交換や簡単な修理ができます。", "話し相手になれます。",
    "車の運転ができます。", "料理が得意です。", "体操の指導ができます。",
    "パソコンを教えられます。",
]  # fmt: skip
CALLS = {
    LookingFor.HELPERS: ["お茶の準備を手伝ってくれる方", "会場の設営を手伝ってくれる方",
                         "送迎の運転をしてくれる方", "受付を手伝ってくれる方"],
    LookingFor.MEMBERS: ["いっしょに参加する仲間", "初めての方", "男性の参加者"],
}  # fmt: skip
WHEN = ["毎週水曜の午後", "月1回 土曜の午前", "平日の午前", ""]
PER_REGION = (8, 16)


@transaction.atomic
def build_helpers(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Make the demo helpers, peer calls and introductions; return how many helpers."""
    if Helper.objects.of(municipality).exists():
        return 0
    rng = random.Random(seed + 11)
    today = today or timezone.localdate()
    kinds = list(NeedKind.objects.of(municipality))
    regions = list(Area.objects.of(municipality).regions().order_by("sort_order", "path"))

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10 + rng.randint(0, 6))))

    helpers, chosen, seq = [], [], 0
    for region in regions:
        for _i in range(rng.randint(*PER_REGION)):
            seq += 1
            day = today - dt.timedelta(days=rng.randint(0, 700))
            lat, lng = region.latitude, region.longitude
            helper = Helper(
                municipality=municipality, area=region, what=rng.choice(OFFERS),
                weekday_bits=rng.randint(1, 127), daypart_bits=rng.randint(1, 7),
                latitude=round(lat + rng.gauss(0, 0.004), 3) if lat is not None else None,
                longitude=round(lng + rng.gauss(0, 0.005), 3) if lng is not None else None,
                name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                contact=f"03-{rng.randint(3000, 5999)}-{rng.randint(0, 9999):04d}",
                consent_how=rng.choice(list(ConsentHow)), consent_at=at(day),
                consent_by_name=f"{region.name}のSC", number_year=today.year, number_seq=seq,
                receipt=f"H-{today.year}-{seq:04d}-{rng.randrange(1000):03d}", seen_at=at(day),
            )  # fmt: skip
            if helper.latitude is None or helper.longitude is None:
                helper.latitude = helper.longitude = None
            if rng.random() < 0.05:  # asked to be removed: an anonymous record stays
                helper.name = helper.contact = helper.what = ""
                helper.latitude = helper.longitude = None
                helper.removal_requested_at = helper.removed_at = at(day)
            helpers.append(helper)
            chosen.append(rng.sample(kinds, rng.randint(1, 3)))
    Helper.objects.bulk_create(helpers)
    through = Helper.kinds.through
    links = [through(helper_id=h.pk, needkind_id=k.pk)
             for h, ks in zip(helpers, chosen, strict=True) for k in ks]  # fmt: skip
    through.objects.bulk_create(links)

    public = Activity.objects.of(municipality).public().order_by("id")
    calls = []
    for activity_id, area_id, days, parts in public.values_list(
        "id", "area_id", "weekday_bits", "daypart_bits"
    ):
        if rng.random() < 0.15:
            looking = rng.choice([LookingFor.HELPERS, LookingFor.HELPERS, LookingFor.MEMBERS])
            until = today + dt.timedelta(days=rng.randint(14, 120)) if rng.random() < 0.5 else None
            # When, as the activity's own schedule says (a call about another day would
            # contradict its page); now and then left unsaid, as the draw always did.
            what = rng.choice(CALLS[looking])
            when = when_in_words(days, parts) if rng.choice(WHEN) else ""
            calls.append(PeerCall(activity_id=activity_id, area_id=area_id, looking_for=looking,
                                  what=what, when=when, until=until))  # fmt: skip
    PeerCall.objects.bulk_create(calls)
    introduce_past(municipality, rng, helpers, chosen, at)
    return len(helpers)


Stamp = Callable[[dt.date], dt.datetime]


def introduce_past(municipality: Area, rng: random.Random, helpers: list[Helper],
                   chosen: list[list[NeedKind]], at: Stamp) -> None:  # fmt: skip
    """Each need met by an activity was introduced to it first; some discussed needs were
    introduced to a helper of their region and kind."""
    events, intros = [], []
    met = NeedEvent.objects.filter(
        need__municipality=municipality,
        action=EventAction.MOVED,
        status=Status.MET_BY_ACTIVITY,
        activity__isnull=False,
    )
    for need_id, on, activity_id, area_id, by_name, meeting_id in met.order_by("id").values_list(
        "need_id", "on", "activity_id", "need__area_id", "by_name", "need__meeting_id"
    ):
        on -= dt.timedelta(days=1)  # the day before the step that says it was met
        events.append(NeedEvent(need_id=need_id, action=EventAction.INTRODUCED,
                                status=Status.DISCUSSED if meeting_id else Status.NEW, on=on,
                                by_name=by_name, created_at=at(on)))  # fmt: skip
        intros.append(Introduction(area_id=area_id, need_id=need_id, activity_id=activity_id,
                                   on=on, outcome=Outcome.CONNECTED, by_name=by_name,
                                   reasons="種類が合う・同じ地域"))  # fmt: skip
    by_place: dict[tuple[int, int], list[Helper]] = defaultdict(list)
    for helper, kinds in zip(helpers, chosen, strict=True):
        if helper.removed_at is None:
            for kind in kinds:
                by_place[(helper.area_id, kind.pk)].append(helper)
    open_events = NeedEvent.objects.filter(need__municipality=municipality,
                                           status=Status.DISCUSSED, action=EventAction.MOVED,
                                           need__status=Status.DISCUSSED)  # fmt: skip
    for need_id, on, area_id, kind_id, by_name in open_events.order_by("id").values_list(
        "need_id", "on", "need__area_id", "need__kind_id", "by_name"
    ):
        found = by_place.get((area_id, kind_id))
        if not found or rng.random() < 0.5:
            continue
        day = on + dt.timedelta(days=rng.randint(1, 14))
        day = min(day, timezone.localdate())
        events.append(NeedEvent(need_id=need_id, action=EventAction.INTRODUCED,
                                status=Status.DISCUSSED, on=day, by_name=by_name,
                                created_at=at(day)))  # fmt: skip
        intros.append(Introduction(area_id=area_id, need_id=need_id,
                                   helper=rng.choice(found), on=day, by_name=by_name,
                                   outcome=rng.choice(list(Outcome)),
                                   reasons="種類が合う・同じ地域"))  # fmt: skip
    NeedEvent.objects.bulk_create(events)
    for event, intro in zip(events, intros, strict=True):
        intro.event = event
    Introduction.objects.bulk_create(intros)
