"""Demo data for the support app, called by core.demo.load_demo (deterministic from `seed`):
requests of every kind and status from the regions' councils with some messages, and a
register of venues and professionals with bookings around today.

Rows are written with bulk_create (no audit entries: demo data is nobody's action).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area, AreaKind
from sasaeai.councils.models import Council

from .models import (
    KIND_OF_TOPIC,
    Booking,
    Kind,
    RequestEvent,
    RequestMessage,
    Side,
    Status,
    SupportRequest,
    Topic,
    Venue,
    VenueKind,
)

# What councils ask, by kind: (topic, title, detail).
ASKS: dict[str, list[tuple[str, str, str]]] = {
    Kind.LEARN: [
        (
            Topic.VISIT,
            "他区の見守りネットワークを視察したい",
            "見守りの仕組みが進んでいる区の話を聞きたい。",
        ),
        (
            Topic.OUTSIDE_TRAINING,
            "担い手向けの勉強会を紹介してほしい",
            "会議のメンバーが参加できる外部の勉強会を知りたい。",
        ),
        (Topic.TRAINING, "SC研修会で活動マップづくりを取り上げてほしい", ""),
    ],
    Kind.SUPPORT: [
        (
            Topic.PAPERWORK,
            "活動紹介チラシの版下づくりを手伝ってほしい",
            "原稿はあります。印刷用に整えたい。",
        ),
        (Topic.ADVICE, "会議の進め方について一緒に考えてほしい", "発言が一部の人に偏ってしまう。"),
        (Topic.BUDGET, "運営費の出納帳のつけ方を教えてほしい", ""),
    ],
    Kind.CONNECT: [
        (Topic.HARD_CASE, "会議では対応が難しい相談がある", "個人が特定されない形で相談したい。"),
        (Topic.SPECIALIST, "認知症の方への声かけについて専門職と話したい", ""),
        (Topic.OTHER_REGIONS, "買い物支援を始めた地域の話を聞きたい", "他の地域の例を知りたい。"),
    ],
    Kind.CONTRIBUTE: [
        (Topic.HANDS, "交流会の受付を3人ほど手伝ってほしい", "秋の交流会。午後1時から3時。"),
        (Topic.VENUE, "体操教室の会場を借りたい", "毎月1回、20人ほど。"),
        (Topic.PROFESSIONAL, "10の筋トレの指導にリハビリ職を派遣してほしい", ""),
        (Topic.KNOWLEDGE, "栄養について講話をしてほしい", ""),
    ],
}
WARD_REPLIES = ["日程の候補をいくつか教えてください。", "担当を決めました。来週お電話します。",
                "資料をお送りします。ご確認ください。"]  # fmt: skip
COUNCIL_REPLIES = ["ありがとうございます。候補日をお送りします。", "よろしくお願いします。",
                   "会議で共有しました。"]  # fmt: skip
DECLINE_REASONS = ["その日は職員の都合がつきません。別の日であればお手伝いできます。",
                   "この内容は区ではお受けできません。社協の窓口をご案内します。"]  # fmt: skip
STATUSES = [Status.NEW, Status.ACCEPTED, Status.DONE, Status.DECLINED]
VENUES: list[tuple[str, str, str, str, int | None, str]] = [
    # (area code, kind, name, address or specialty, capacity, notes)
    (
        "takashimadaira",
        VenueKind.VENUE,
        "高島平地域センター 第1会議室",
        "板橋区高島平",
        30,
        "平日9時〜21時",
    ),
    ("narimasu", VenueKind.VENUE, "成増地域センター 集会室", "板橋区成増", 40, ""),
    (
        "itabashi",
        VenueKind.VENUE,
        "板橋地域センター 和室",
        "板橋区板橋",
        20,
        "靴を脱いで上がります。",
    ),
    ("shimurasakaue", VenueKind.VENUE, "志村坂上 ふれあい館 多目的室", "板橋区志村", 50, ""),
    (
        "",
        VenueKind.VENUE,
        "いたばし社協 ボランティアセンター 会議室",
        "板橋区板橋",
        24,
        "社協の窓口で鍵を受け取ります。",
    ),
    (
        "",
        VenueKind.PROFESSIONAL,
        "理学療法士（地域リハビリテーションネットワーク）",
        "10の筋トレの指導・体力測定",
        None,
        "",
    ),
    ("", VenueKind.PROFESSIONAL, "管理栄養士", "低栄養予防の講話", None, ""),
    (
        "blk-akatsuka",
        VenueKind.PROFESSIONAL,
        "社会福祉士（おとしより相談センター）",
        "介護保険・相談窓口の講話",
        None,
        "",
    ),
]
SLOTS = [(10, 12), (13, 15), (15, 17)]


@transaction.atomic
def build_support(municipality: Area, seed: int) -> int:
    """Idempotent: running load_demo twice adds nothing the second time."""
    if SupportRequest.objects.of(municipality).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    people = {u.email.split("@")[0]: u for u in User.objects.filter(
        email__in=[f"{n}@demo.sasaeai.jp" for n in ("sc", "member", "ward", "block")])}  # fmt: skip
    councils = list(
        Council.objects.of(municipality).filter(area__kind=AreaKind.REGION)
        .select_related("area").order_by("area__sort_order", "area__path")
    )  # fmt: skip
    requests = [
        _request(rng, now, council, i, j, people)
        for i, council in enumerate(councils)
        for j in range(rng.randint(2, 4))
    ]
    SupportRequest.objects.bulk_create([r for r, _e, _m in requests])
    RequestEvent.objects.bulk_create([e for r, events, _m in requests for e in events(r)])
    RequestMessage.objects.bulk_create([m for r, _e, messages in requests for m in messages(r)])
    _venues(rng, municipality, now, [r for r, _e, _m in requests])
    return len(requests)


def _request(
    rng: random.Random, now: dt.datetime, council: Council, i: int, j: int, people: dict
) -> tuple[SupportRequest, Any, Any]:
    status = STATUSES[(i + j) % 4]
    kind = list(Kind)[(i + 2 * j) % 4]
    topic, title, detail = rng.choice(ASKS[kind])
    mine = council.area.code == "takashimadaira"
    opener = people.get("sc" if j % 2 == 0 else "member") if mine else None
    ward = people.get("ward") if rng.random() < 0.7 else people.get("block")
    opened = now - dt.timedelta(days=rng.randint(1, 180), hours=rng.randint(0, 8))
    accepted = opened + dt.timedelta(days=rng.randint(1, 7)) if status in (
        Status.ACCEPTED, Status.DONE) else None  # fmt: skip
    closed = None
    if status == Status.DONE and accepted:
        closed = min(accepted + dt.timedelta(days=rng.randint(3, 30)), now)
    elif status == Status.DECLINED:
        closed = opened + dt.timedelta(days=rng.randint(1, 10))
    accepted = min(accepted, now) if accepted else None
    closed = min(closed, now) if closed else None
    reason = rng.choice(DECLINE_REASONS) if status == Status.DECLINED else ""
    req = SupportRequest(
        municipality=council.municipality, area=council.area, council=council,
        kind=KIND_OF_TOPIC[topic], topic=topic, title=title, detail=detail,
        needed_by=(opened + dt.timedelta(days=rng.randint(14, 90))).date(), status=status,
        opened_by=opener, opened_at=opened, accepted_by=ward if accepted else None,
        accepted_at=accepted, closed_at=closed, decline_reason=reason,
    )  # fmt: skip
    opener_name = str(opener) if opener else f"{council.area.name}のSC"
    ward_name = str(ward) if ward else "区役所 担当"

    def events(r: SupportRequest) -> list[RequestEvent]:
        found = [RequestEvent(request=r, status=Status.NEW, at=opened, by=opener,
                              by_name=opener_name)]  # fmt: skip
        if accepted:
            found.append(RequestEvent(request=r, status=Status.ACCEPTED, at=accepted, by=ward,
                                      by_name=ward_name))  # fmt: skip
        if closed:
            found.append(RequestEvent(request=r, status=status, at=closed, by=ward,
                                      by_name=ward_name, note=reason))  # fmt: skip
        return found

    def messages(r: SupportRequest) -> list[RequestMessage]:
        if not accepted or rng.random() < 0.3:
            return []
        first = accepted + dt.timedelta(hours=2)
        return [
            RequestMessage(request=r, side=Side.WARD, author=ward, author_name=ward_name,
                           body=rng.choice(WARD_REPLIES), at=min(first, now)),
            RequestMessage(request=r, side=Side.COUNCIL, author=opener, author_name=opener_name,
                           body=rng.choice(COUNCIL_REPLIES),
                           at=min(first + dt.timedelta(days=1), now)),
        ]  # fmt: skip

    return req, events, messages


def _venues(
    rng: random.Random, municipality: Area, now: dt.datetime, requests: list[SupportRequest]
) -> None:
    areas = {a.code: a for a in Area.objects.of(municipality)}
    areas[""] = municipality
    venues = Venue.objects.bulk_create([
        Venue(municipality=municipality, area=areas[code], kind=kind, name=name,
              address=text if kind == VenueKind.VENUE else "",
              specialty=text if kind == VenueKind.PROFESSIONAL else "",
              capacity=capacity, notes=notes,
              latitude=areas[code].latitude if kind == VenueKind.VENUE and code else None,
              longitude=areas[code].longitude if kind == VenueKind.VENUE and code else None)
        for code, kind, name, text, capacity, notes in VENUES if code in areas
    ])  # fmt: skip
    lendable = [r for r in requests if r.kind == Kind.CONTRIBUTE and r.status != Status.DECLINED]
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    bookings = []
    for venue in venues:
        taken: set[tuple[dt.date, int]] = set()
        for _n in range(rng.randint(5, 10)):
            day = today + dt.timedelta(days=rng.randint(-30, 60))
            slot = rng.randrange(len(SLOTS))
            if (day, slot) in taken:
                continue  # one booking per slot: never two at one time
            taken.add((day, slot))
            start, end = SLOTS[slot]
            linked = rng.choice(lendable) if lendable and rng.random() < 0.3 else None
            bookings.append(Booking(
                venue=venue, purpose=linked.title if linked else rng.choice(
                    ["介護予防の体操教室", "支え合い会議", "サロンの交流会", "担い手の勉強会"]),
                starts_at=dt.datetime.combine(day, dt.time(start), tzinfo=tz),
                ends_at=dt.datetime.combine(day, dt.time(end), tzinfo=tz),
                request=linked, booked_by=None,
            ))  # fmt: skip
    Booking.objects.bulk_create(bookings)
