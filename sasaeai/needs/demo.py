"""Demo needs for every region of a municipality: a few hundred over the last two years,
each with a timeline that fits its age — discussed at the region's real demo meetings,
met by the region's published activities of a matching kind, referred or set aside.

Everything is drawn from one random.Random(seed); dates count back from `today`. Rows are
written with bulk_create (no audit entries: demo data is not anybody's action).
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity

from .helper_demo import build_helpers
from .kinds import seed_need_kinds
from .models import EventAction, Need, NeedEvent, NeedKind, Source, Status, Urgency

WHAT: dict[str, list[str]] = {
    "shopping": [
        "近くのスーパーが閉店し、重い物を買って帰るのが大変。",
        "買い物に一緒に行ってくれる人がほしい。",
        "雨の日や暑い日の買い物に困っている。",
    ],
    "going-out": [
        "駅までの坂道がつらく、出かけるのがおっくうになった。",
        "バスの乗り方がわからず、区役所まで行けない。",
        "一緒に出かける相手がいない。",
    ],
    "small-jobs": [
        "天井の電球を替えられない。",
        "網戸の張り替えを手伝ってほしい。",
        "粗大ごみを出すのを手伝ってほしい。",
    ],
    "talk": [
        "一人暮らしで、一日だれとも話さない日がある。",
        "気軽におしゃべりできる相手がほしい。",
    ],
    "watch-over": [
        "離れて暮らす親が心配なので、ときどき声をかけてほしい。",
        "近所の一人暮らしの方の様子が気になる。",
    ],
    "meals": [
        "一人分の食事を作るのがおっくう。",
        "みんなで一緒に食べる場がほしい。",
    ],
    "place": [
        "昼間に気軽に立ち寄れる場所がほしい。",
        "団地の集会所があまり使われていない。",
    ],
    "exercise": [
        "近くで体操できる集まりを知りたい。",
        "一緒に歩く仲間がほしい。",
    ],
    "information": [
        "地域の集まりの情報がどこにあるかわからない。",
        "引っ越してきたばかりで、地域のことがわからない。",
    ],
    "other": [
        "ごみ出しのルールがわからず困っている。",
        "町会に入りたいが、どこに聞けばよいかわからない。",
    ],
}
KIND_WEIGHTS: dict[str, int] = {
    "shopping": 8, "going-out": 6, "small-jobs": 7, "talk": 6, "watch-over": 5,
    "meals": 4, "place": 4, "exercise": 3, "information": 3, "other": 2,
}  # fmt: skip
SOURCE_WEIGHTS: dict[str, int] = {
    Source.RESIDENT: 6, Source.MEETING: 3, Source.SURVEY: 2, Source.SC_VISIT: 4,
    Source.HOUKATSU: 2, Source.OTHER: 1,
}  # fmt: skip
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["和子", "洋子", "恵子", "幸子", "清", "茂", "博", "進", "正子", "誠"]
REFERRED_TO = ["おとしより相談センター", "社会福祉協議会", "区の福祉事務所", "シルバー人材センター"]
PER_REGION = (12, 22)
DAYS_BACK = 720


class Builder:
    def __init__(self, municipality: Area, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.municipality = municipality
        self.kinds = {k.code: k for k in NeedKind.objects.of(municipality)}
        self.mapped = {k.code: {a.pk for a in k.activity_kinds.all()} for k in self.kinds.values()}
        # Each region's published activities by activity kind, and its held meetings by date.
        self.activities: dict[tuple[int, int], list[int]] = defaultdict(list)
        links = Activity.kinds.through.objects.filter(
            activity__in=Activity.objects.of(municipality).public()
        ).order_by("activity_id", "kind_id")
        for activity_id, area_id, kind_id in links.values_list(
            "activity_id", "activity__area_id", "kind_id"
        ):
            self.activities[(area_id, kind_id)].append(activity_id)
        self.meetings: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        held = Meeting.objects.filter(council__municipality=municipality, date__lte=today)
        for pk, date, area_id in held.order_by("date", "pk").values_list(
            "pk", "date", "council__area_id"
        ):
            self.meetings[area_id].append((date, pk))

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def need(self, region: Area) -> tuple[Need, list[NeedEvent]]:
        code = self.pick(KIND_WEIGHTS)
        age = self.rng.randint(0, DAYS_BACK)
        reported = self.today - dt.timedelta(days=age)
        named = self.rng.random() < 0.15
        need = Need(
            municipality=self.municipality,
            area=region,
            kind=self.kinds[code],
            what=self.rng.choice(WHAT[code]),
            source=self.pick(SOURCE_WEIGHTS),
            people_count=self.rng.choice([1, 1, 1, 2, 3, 5, 10]),
            urgency=self.rng.choice([Urgency.LOW, Urgency.NORMAL, Urgency.NORMAL, Urgency.HIGH]),
            reported_on=reported,
            reporter_consent=named,
            reporter_name=f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}" if named else "",
            reporter_contact=f"03-{self.rng.randint(3000, 5999)}-{self.rng.randint(0, 9999):04d}"
            if named
            else "",
            consent_recorded_at=self.at(reported) if named else None,
            number_year=reported.year,
        )
        who = f"{region.name}のSC"
        events = [NeedEvent(action=EventAction.CREATED, status=Status.NEW, on=reported,
                            by_name=who, created_at=self.at(reported))]  # fmt: skip
        need.seen_at = None if age < 10 and self.rng.random() < 0.5 else self.at(reported)
        if age < 20:
            return need, events
        meeting = self.meeting_after(region, reported)
        if meeting is not None and self.rng.random() < 0.85:
            need.status, need.meeting_id = Status.DISCUSSED, meeting[1]
            events.append(NeedEvent(action=EventAction.MOVED, status=Status.DISCUSSED,
                                    on=meeting[0], by_name=who, meeting_id=meeting[1],
                                    created_at=self.at(meeting[0])))  # fmt: skip
        if age < 60 or self.rng.random() < 0.2:
            return need, events
        self.outcome(need, events, region, code, who)
        return need, events

    def outcome(
        self, need: Need, events: list[NeedEvent], region: Area, code: str, who: str
    ) -> None:
        last = events[-1].on
        on = min(self.today, last + dt.timedelta(days=self.rng.randint(7, 60)))
        step = NeedEvent(action=EventAction.MOVED, on=on, by_name=who, created_at=self.at(on))
        candidates = sorted(
            {a for kind in self.mapped[code] for a in self.activities[(region.pk, kind)]}
        )
        roll = self.rng.random()
        if candidates and roll < 0.6:
            need.status, need.activity_id = Status.MET_BY_ACTIVITY, self.rng.choice(candidates)
            step.activity_id = need.activity_id
        elif roll < 0.7:
            need.status = Status.NEW_ACTIVITY
            step.note = "会議のメンバーが中心になって、新しい集まりを始めた。"
        elif roll < 0.85:
            need.status = Status.REFERRED
            need.referred_to = step.referred_to = self.rng.choice(REFERRED_TO)
        else:
            need.status = Status.CANNOT_BE_MET
            step.note = "担い手が見つからず、今は対応できない。引き続き探す。"
        step.status = need.status
        events.append(step)
        if self.rng.random() < 0.05 and on < self.today:
            need.status = Status.DISCUSSED if need.meeting_id else Status.NEW
            need.activity_id, need.referred_to = None, ""
            again = min(self.today, on + dt.timedelta(days=self.rng.randint(30, 90)))
            events.append(NeedEvent(action=EventAction.REOPENED, status=need.status, on=again,
                                    by_name=who, note="状況が変わったため、もう一度話し合う。",
                                    created_at=self.at(again)))  # fmt: skip

    def meeting_after(self, region: Area, day: dt.date) -> tuple[dt.date, int] | None:
        meetings = self.meetings.get(region.pk, [])
        index = bisect.bisect_right(meetings, (day, 2**62))
        return meetings[index] if index < len(meetings) else None

    def at(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10 + self.rng.randint(0, 6))))


@transaction.atomic
def build_needs(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Make the municipality's demo needs with their timelines; return how many were made
    (none when it already has needs). Its demo helpers, 仲間募集 and past introductions
    come with them."""
    made = _build_needs(municipality, seed, today)
    build_helpers(municipality, seed, today)  # none when it already has helpers
    return made


def _build_needs(municipality: Area, seed: int, today: dt.date | None) -> int:
    if Need.objects.of(municipality).exists():
        return 0
    seed_need_kinds(municipality)
    builder = Builder(municipality, random.Random(seed + 5), today or timezone.localdate())
    made: list[tuple[Need, list[NeedEvent]]] = []
    for region in Area.objects.of(municipality).regions().order_by("sort_order", "path"):
        made += [builder.need(region) for _i in range(builder.rng.randint(*PER_REGION))]
    # Numbered in the order they came in, per year, as the public form would have.
    made.sort(key=lambda pair: (pair[0].reported_on, pair[0].area_id, pair[0].what))
    seq: dict[int, int] = defaultdict(int)
    for need, _events in made:
        seq[need.number_year] += 1
        need.number_seq = seq[need.number_year]
        need.receipt = f"{need.number}-{builder.rng.randrange(1000):03d}"
    Need.objects.bulk_create([need for need, _events in made])
    timeline = []
    for need, events in made:
        for event in events:
            event.need = need
            timeline.append(event)
    NeedEvent.objects.bulk_create(timeline)
    return len(made)
