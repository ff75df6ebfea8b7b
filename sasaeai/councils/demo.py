"""Demo councils for every area of a municipality: profile, members, 12–60 past meetings
with agenda, attendance, approved minutes, decisions and actions, and one upcoming meeting.

Everything is drawn from one random.Random(seed); dates count back from `today`. Rows are
written with bulk_create (no audit entries: demo data is not anybody's action).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import jpholiday
from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area, AreaKind
from sasaeai.directory.models import Activity

from .demo_photos import add_demo_photos
from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    ApprovedAs,
    Attendance,
    Council,
    CouncilMember,
    CouncilSC,
    Decision,
    Meeting,
    MemberRole,
    Minutes,
    MinutesItem,
    MinutesStatus,
    Sector,
    nth_weekday,
)

# Known real councils (the guidebook's examples); the rest start between these years.
STARTED = {"takashimadaira": dt.date(2016, 10, 1), "funado": dt.date(2018, 5, 1)}
VISIONS = {"takashimadaira": "独りじゃないよ 繋がりあって安心 高島平"}
VISION_PARTS = [
    "顔の見える つながりのあるまち", "お互いさまで 笑顔あふれるまち",
    "いくつになっても 安心して住み続けられるまち", "支え合いの輪が広がるまち",
    "あいさつから始まる 見守りのまち",
]  # fmt: skip
SURNAMES = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "斎藤",
]  # fmt: skip
GIVEN = [
    "和子", "洋子", "恵子", "幸子", "節子", "清", "茂", "博", "進", "勇",
    "正子", "美智子", "京子", "誠", "隆", "健一", "明美", "直子", "弘", "修",
]  # fmt: skip
SECTOR_WEIGHTS = {
    Sector.NEIGHBOURHOOD: 5, Sector.COMMISSIONER: 4, Sector.SALON: 3, Sector.CARE: 2,
    Sector.NPO: 1, Sector.BUSINESS: 1, Sector.RESIDENT: 3, Sector.HOUKATSU: 1,
    Sector.SHAKYO: 1, Sector.OTHER: 1,
}  # fmt: skip
# Agenda topics with the initiatives they serve, a line of discussion, a decision, an action.
TOPICS: list[tuple[str, str, str, str, str]] = [
    (
        "地域の活動マップづくり",
        "tsunageru",
        "掲載する活動の候補を出し合った。サロンや体操の集まりなど約20件。",
        "次回までに掲載の了承を各団体に取る",
        "掲載候補の団体に了承を取る",
    ),
    (
        "支え合い活動の紹介チラシ",
        "tsunageru,yobikake",
        "町会の掲示板と回覧板で配る案を話し合った。",
        "チラシを町会の回覧で配る",
        "チラシの原稿をつくる",
    ),
    (
        "活動者の交流会",
        "tsunagaru",
        "サロン代表同士が悩みを話せる場がほしいという声があった。",
        "秋に交流会を開く",
        "交流会の会場を予約する",
    ),
    (
        "サロンの担い手探し",
        "nakama",
        "代表の高齢化で続けるのが難しいサロンがある。手伝える人を探す。",
        "担い手募集の声かけを各団体で行う",
        "担い手募集の文面を考える",
    ),
    (
        "困りごとアンケートの結果",
        "shiru",
        "ごみ出しと買い物に困っている声が多かった。",
        "ごみ出し支援の仕組みを次回検討する",
        "アンケート結果をまとめて配る",
    ),
    (
        "買い物に困っている方への支え",
        "shiru,taiken",
        "商店会と一緒に、一緒に買い物に行く試みを話し合った。",
        "商店会に協力をお願いする",
        "商店会長に相談する",
    ),
    (
        "おとしより相談センターからの報告",
        "kikan",
        "包括から、見守りが必要な方への関わり方の説明があった。",
        "",
        "見守りの連絡先一覧を更新する",
    ),
    (
        "地域のお祭りでの呼びかけ",
        "taiken,yobikake",
        "お祭りに支え合い会議のブースを出して活動を紹介する。",
        "ブース出展を申し込む",
        "ブースの展示物を用意する",
    ),
    (
        "会議の進め方とルール",
        "rules",
        "欠席時の連絡方法と記録の共有方法を決めた。",
        "議事録は翌月の会議で承認する",
        "",
    ),
    (
        "ゴミ出し支援の仕組みづくり",
        "rules,nakama",
        "近所の方が手伝う場合の約束事を話し合った。",
        "試行を2か所で始める",
        "試行する集合住宅を決める",
    ),
    (
        "防災と見守り",
        "kikan,tsunagaru",
        "災害時に声をかけ合う仕組みを町会と確認した。",
        "",
        "町会の防災訓練に参加する",
    ),
    (
        "電球交換ボランティアの紹介",
        "tsunageru,nakama",
        "小さな困りごとを手伝うボランティアの紹介があった。",
        "",
        "",
    ),
]


@dataclass
class Plan:
    """One council's shape: its first recorded number and the days of its meetings."""

    council: Council
    first_number: int
    days: list[dt.date]
    members: list[CouncilMember] = field(default_factory=list)


def build_councils(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Councils for the municipality, its blocks and regions; skipped if any exist."""
    if Council.objects.of(municipality).exists():
        return 0
    builder = Builder(random.Random(seed), today or timezone.localdate())
    with transaction.atomic():
        areas = list(Area.objects.of(municipality).exclude(kind=AreaKind.UNIT).order_by("path"))
        if municipality not in areas:
            areas.insert(0, municipality)
        plans = [builder.council(municipality, area) for area in areas]
        builder.meetings(plans)
    return len(plans)


class Builder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"

    def council(self, municipality: Area, area: Area) -> Plan:
        rng = self.rng
        if area.kind == AreaKind.MUNICIPALITY:
            name, every, nth = "第1層支え合い会議", 2, 0
        elif area.kind == AreaKind.BLOCK:
            name, every, nth = f"{area.name}連絡会", 3, 0
        else:
            name, every, nth = f"支え合い会議{area.name}", 1, rng.randint(1, 4)
        weekday = rng.randint(0, 4)
        nth = nth or rng.randint(1, 4)
        started = STARTED.get(area.code) or dt.date(rng.randint(2016, 2020), rng.randint(1, 12), 1)
        held = monthly_days(started, self.today, every, nth, weekday)
        recorded = min(len(held), rng.randint(12, 60))
        days = held[-recorded:]
        upcoming = monthly_days(self.today + dt.timedelta(days=1), self.today + dt.timedelta(days=40 * every), every, nth, weekday)[:1]  # fmt: skip  # noqa: E501
        council = Council.objects.create(
            municipality=municipality,
            area=area,
            name=name,
            started_on=started,
            frequency=frequency_words(every, nth, weekday),
            venue=f"{area.name.removesuffix('ブロック')}地域センター",
            hours="14:00〜16:00",
            vision=VISIONS.get(area.code) or f"{rng.choice(VISION_PARTS)} {area.name}",
            first_number=len(held) - recorded + 1,
        )
        CouncilSC.objects.bulk_create(
            CouncilSC(council=council, count=rng.randint(1, 3), body=body, since=started)
            for body in rng.sample(
                ["社会福祉協議会", "地域住民", "NPO法人", "介護事業所"], rng.randint(1, 2)
            )
        )
        plan = Plan(council, len(held) - recorded + 1, days + upcoming)
        plan.members = CouncilMember.objects.bulk_create(self.member(council, started, i) for i in range(rng.randint(10, 20)))  # fmt: skip  # noqa: E501
        return plan

    def member(self, council: Council, started: dt.date, index: int) -> CouncilMember:
        rng = self.rng
        sector = Sector.NEIGHBOURHOOD if index == 0 else rng.choices(list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values()))[0]  # fmt: skip  # noqa: E501
        bodies = {Sector.HOUKATSU: f"おとしより相談センター{council.area.name}", Sector.SHAKYO: "いたばし社協", Sector.WARD: "板橋区"}  # fmt: skip  # noqa: E501
        roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.SECRETARY]
        joined = started + dt.timedelta(days=rng.randint(0, 900))
        return CouncilMember(
            council=council,
            name=bodies.get(sector) or self.person(),
            is_body=sector in bodies,
            sector=sector,
            role=roles[index] if index < len(roles) else MemberRole.MEMBER,
            joined_on=min(joined, self.today),
            left_on=self.today - dt.timedelta(days=rng.randint(30, 400))
            if index > 5 and rng.random() < 0.1
            else None,
            consent_to_publish_name=index < 2 or rng.random() < 0.3,
        )

    def meetings(self, plans: list[Plan]) -> None:
        rng = self.rng
        meetings = Meeting.objects.bulk_create(
            Meeting(council=p.council, number=p.first_number + i, date=day,
                    starts_at=dt.time(14), ends_at=dt.time(16), venue=p.council.venue,
                    summary_published=day <= self.today and rng.random() < 0.7)
            for p in plans for i, day in enumerate(p.days)
        )  # fmt: skip
        by_council: dict[int, list[Meeting]] = {}
        for m in meetings:
            by_council.setdefault(m.council_id, []).append(m)
        items: list[tuple[Meeting, AgendaItem, tuple[str, ...]]] = []
        for m in meetings:
            for topic in rng.sample(TOPICS, rng.randint(2, 4)):
                items.append((m, AgendaItem(meeting=m, title=topic[0], initiatives=topic[1], public=rng.random() < 0.8), topic))  # fmt: skip  # noqa: E501
        AgendaItem.objects.bulk_create([row[1] for row in items])
        for i, (_m, item, _t) in enumerate(items):
            item.order = i  # only relative order within a meeting matters
        self.link_activities(items)
        held = [m for m in meetings if m.date <= self.today]
        self.attendance(plans, held)
        self.minutes(held, [row for row in items if row[0].date <= self.today])
        self.actions(by_council, [row for row in items if row[0].date <= self.today])

    def link_activities(self, items: list[tuple[Meeting, AgendaItem, tuple[str, ...]]]) -> None:
        areas = {m.council.area_id: m.council.area for m, _i, _t in items}
        pool: dict[int, list[int]] = {
            pk: list(Activity.objects.within(area).values_list("pk", flat=True)[:50])
            for pk, area in areas.items()
        }
        through = AgendaItem.activities.through
        rows = []
        for m, item, _t in items:
            choices = pool.get(m.council.area_id) or []
            if choices and "tsunageru" in item.initiatives and self.rng.random() < 0.5:
                rows.append(through(agendaitem_id=item.pk, activity_id=self.rng.choice(choices)))
        through.objects.bulk_create(rows)

    def attendance(self, plans: list[Plan], held: list[Meeting]) -> None:
        members = {p.council.pk: p.members for p in plans}
        rows, present = [], []
        for m in held:
            came = self.rng.sample(
                members[m.council_id], k=max(1, len(members[m.council_id]) - self.rng.randint(0, 5))
            )
            guests = {
                Sector.HOUKATSU.value: self.rng.randint(0, 2),
                Sector.RESIDENT.value: self.rng.randint(0, 4),
            }
            guests = {k: n for k, n in guests.items() if n}
            rows.append(
                Attendance(meeting=m, guests=guests, total=len(came) + sum(guests.values()))
            )
            present.append(came)
        Attendance.objects.bulk_create(rows)
        through = Attendance.members.through
        through.objects.bulk_create(
            through(attendance_id=a.pk, councilmember_id=member.pk)
            for a, came in zip(rows, present, strict=True)
            for member in came
        )

    def minutes(self, held: list[Meeting], items: list[tuple[Meeting, AgendaItem, Any]]) -> None:
        latest = {m.council_id: m for m in sorted(held, key=lambda m: m.date)}
        rows = Minutes.objects.bulk_create(
            Minutes(meeting=m, status=MinutesStatus.DRAFT if latest[m.council_id] is m else MinutesStatus.APPROVED,  # noqa: E501
                    approved_as=ApprovedAs.CHAIR if latest[m.council_id] is not m else "",
                    approved_at=timezone.make_aware(dt.datetime.combine(m.date + dt.timedelta(days=28), dt.time(16))) if latest[m.council_id] is not m else None,  # noqa: E501
                    notes="次回の日程を確認した。")
            for m in held
        )  # fmt: skip
        of = {r.meeting_id: r for r in rows}
        MinutesItem.objects.bulk_create(
            MinutesItem(minutes=of[m.pk], agenda_item=item, discussion=topic[2])
            for m, item, topic in items
        )
        Decision.objects.bulk_create(
            Decision(minutes=of[m.pk], agenda_item=item, order=n, text=topic[3],
                     public=item.public and of[m.pk].status == MinutesStatus.APPROVED)
            for n, (m, item, topic) in enumerate(items) if topic[3]
        )  # fmt: skip
        add_demo_photos(held)

    def actions(
        self, by_council: dict[int, list[Meeting]], items: list[tuple[Meeting, AgendaItem, Any]]
    ) -> None:
        rows = []
        for m, item, topic in items:
            if not topic[4] or self.rng.random() < 0.5:
                continue
            later = [n for n in by_council[m.council_id] if m.date < n.date <= self.today]
            due = m.date + dt.timedelta(days=self.rng.choice([14, 30, 45]))
            # Most old actions were done by one of the next meetings; recent ones are open.
            if later and (len(later) > 3 or self.rng.random() < 0.4):
                closed = self.rng.choice(later[:3]).date
                status = ActionStatus.DONE if self.rng.random() < 0.9 else ActionStatus.DROPPED
            else:
                closed, status = None, ActionStatus.OPEN
            who = self.rng.choice(["会長", "事務局", "SC", "町会長", "包括", "民生委員"])
            rows.append(ActionItem(meeting=m, agenda_item=item, what=topic[4], who=who,
                                   due_on=due, status=status, closed_on=closed))  # fmt: skip
        ActionItem.objects.bulk_create(rows)


def frequency_words(every: int, nth: int, weekday: int) -> str:
    months = "毎月" if every == 1 else f"{every}か月ごと"
    return f"{months}第{nth}{'月火水木金'[weekday]}曜"


def closed(day: dt.date) -> bool:
    """Whether the community centres are shut that day: a public holiday (振替休日 and
    国民の休日 included) or the New Year (29 December to 3 January)."""
    new_year = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return new_year or jpholiday.is_holiday(day)


def monthly_days(start: dt.date, end: dt.date, every: int, nth: int, weekday: int) -> list[dt.date]:
    """The nth weekday of every `every`-th month from start's month, within [start, end]; a
    meeting that would fall on a closed day is held a week later, as councils do."""
    days, year, month = [], start.year, start.month
    while dt.date(year, month, 1) <= end:
        day = nth_weekday(year, month, nth, weekday)
        while day is not None and closed(day):
            day += dt.timedelta(days=7)
        if day is not None and start <= day <= end:
            days.append(day)
        month += every
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return days
