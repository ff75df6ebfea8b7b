"""Demo data for the events app, called by core.demo.load_demo (deterministic from `seed`).

A fiscal year of trainings, liaison meetings and outside events around today: past ones
with registrations and attendance, future ones open. Region SCs (one per region, who
cannot sign in) take part besides the demo users; the year's plan leaves one block's
liaison meeting missing, so the plan page has something to say.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.models import Area
from sasaeai.lib.fiscal import fiscal_year_of as fiscal_year

from .kinds import seed_kinds
from .local_models import LocalEvent, LocalKind, Signup
from .models import Event, EventKind, PlanTarget, Registration, RegistrationStatus

VENUES = {
    "hall": ("板橋区役所 大会議室", "板橋区板橋二丁目66番1号", 35.7512, 139.7093),
    "green": ("グリーンホール 601会議室", "板橋区栄町36-1", 35.7506, 139.7079),
    "akatsuka": ("赤塚支所", "板橋区赤塚六丁目38番1号", 35.7772, 139.6446),
    "shimura": ("志村健康福祉センター", "板橋区蓮根二丁目28番1号", 35.7818, 139.6786),
    "tokyo": ("東京都社会福祉保健医療研修センター", "文京区小石川四丁目22番2号", 35.7196, 139.7437),
    "online": ("オンライン（Zoom）", "", None, None),
    "shibuya": ("こくみん共済 coop ホール", "渋谷区代々木二丁目12番10号", 35.6843, 139.6990),
}
ORGANISERS = {
    "ward": "板橋区・板橋区社会福祉協議会",
    "tokyo": "東京都・東京都社会福祉協議会",
    "npo": "全国コミュニティサポートセンター",
    "foundation": "公益財団法人さわやか福祉財団",
}
# month, day, kind, title, venue, organiser, capacity, for (area code; "" = every SC;
# "draft" = every SC, not published yet; "cancelled" = every SC, published, then called off)
EVENTS = [
    (5, 21, "sc-liaison", "第1回 第2層SC連絡会", "hall", "ward", None, ""),
    (6, 18, "training", "第1回 第2層SC等研修会「地域の資源を知る」", "green", "ward", 40, ""),
    (7, 9, "block-liaison", "赤塚ブロック連絡会", "akatsuka", "ward", 20, "blk-akatsuka"),
    (7, 16, "block-liaison", "志村ブロック連絡会", "shimura", "ward", 20, "blk-shimura"),
    (8, 27, "tokyo", "東京都 生活支援コーディネーター研修（基礎編）", "tokyo", "tokyo", 12, ""),
    (9, 10, "block-liaison", "板橋ブロック連絡会", "hall", "ward", 20, "blk-itabashi"),
    (10, 22, "training", "第2回 第2層SC等研修会「会議の進め方」", "green", "ward", 40, ""),
    (12, 3, "npo", "地域づくりセミナー「担い手の見つけ方」", "online", "npo", None, ""),
    (1, 21, "sc-liaison", "第2回 第2層SC連絡会", "hall", "ward", None, ""),
    (1, 28, "npo", "介護予防フォーラム「歩いて元気に」", "green", "npo", 60, "cancelled"),
    (2, 18, "training", "第3回 第2層SC等研修会「事例から学ぶ」", "green", "ward", 30, ""),
    (3, 4, "foundation", "支え合いの地域づくり交流会", "shibuya", "foundation", 2, ""),
    (
        3,
        11,
        "training",
        "研修会「1年をふりかえる」（準備中）",
        "green",
        "ward",
        40,
        "draft",
    ),
]
PLAN = [("training", 2, 3), ("sc-liaison", 2, 3), ("block-liaison", 1, 1)]
# How residents apply, for the public page (outside events are on the public calendar).
HOW_TO_APPLY = {
    "tokyo": "東京都社会福祉協議会のホームページからお申し込みください。",
    "npo": "主催者に電話かメールでお申し込みください。当日の参加もできます。",
    "foundation": "さわやか福祉財団のホームページからお申し込みください。",
}
CANCEL_REASON = "会場の設備点検が入ったため、中止します。"
NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
         "山田", "佐々木", "山口", "松本", "井上", "木村", "林"]  # fmt: skip


def _coordinators(municipality: Area) -> None:
    """One region SC for every region that has none (they cannot sign in)."""
    regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
    for n, region in enumerate(regions):
        if Membership.objects.filter(area=region, role=Role.REGION_SC).exists():
            continue
        user = User.objects.filter(email=f"sc-{region.code}@demo.sasaeai.jp").first()
        if user is None:
            user = User(email=f"sc-{region.code}@demo.sasaeai.jp", municipality=municipality,
                        display_name=f"{NAMES[n % len(NAMES)]} （{region.name}SC）")  # fmt: skip
            user.set_unusable_password()
            user.save()
        Membership.objects.create(user=user, area=region, role=Role.REGION_SC)


@transaction.atomic
def build_events(municipality: Area, seed: int) -> None:
    """Idempotent: running load_demo twice adds nothing the second time."""
    seed_kinds(municipality)
    build_local_events(municipality, seed)
    if Event.objects.of(municipality).exists():
        return
    rng = random.Random(seed)
    now = timezone.now()
    year = fiscal_year(timezone.localdate())
    kinds = {k.code: k for k in EventKind.objects.filter(municipality=municipality)}
    PlanTarget.objects.bulk_create(
        PlanTarget(
            municipality=municipality,
            fiscal_year=year,
            kind=kinds[code],
            min_count=low,
            max_count=high,
        )
        for code, low, high in PLAN
    )
    _coordinators(municipality)
    areas = {a.code: a for a in Area.objects.of(municipality)}
    tz = timezone.get_current_timezone()
    events = []
    for n, (month, day, code, title, place, organiser, capacity, target) in enumerate(EVENTS):
        start = dt.datetime(year if month >= 4 else year + 1, month, day, 14, tzinfo=tz)
        published = None if target == "draft" else min(start - dt.timedelta(days=45), now)
        called_off = target == "cancelled" and start > now
        venue, address, lat, lng = VENUES[place]
        events.append(Event(
            uid=uuid.uuid5(uuid.NAMESPACE_URL, f"sasaeai:{municipality.code}:{year}:{n}"),
            municipality=municipality, area=areas.get(target, municipality), kind=kinds[code],
            title=title, organiser=ORGANISERS[organiser], starts_at=start,
            ends_at=start + dt.timedelta(hours=2), venue=venue, address=address,
            latitude=lat, longitude=lng, capacity=capacity, is_public=kinds[code].outside,
            how_to_apply=HOW_TO_APPLY.get(organiser, ""),
            cancelled_at=now if called_off else None,
            cancel_reason=CANCEL_REASON if called_off else "", sequence=int(called_off),
            deadline=start - dt.timedelta(days=7, hours=-3),
            description="事例の共有とグループワークを行います。筆記用具をお持ちください。",
            published_at=published,
        ))  # fmt: skip
    Event.objects.bulk_create(events)
    _registrations(municipality, rng, now)


def _registrations(municipality: Area, rng: random.Random, now: dt.datetime) -> None:
    scs = list(
        Membership.objects.filter(
            area__municipality=municipality, role__in=[Role.REGION_SC, Role.BLOCK_SC]
        )
        .select_related("area", "user")
        .order_by("area__path", "user__email")
    )
    rows = []
    for event in Event.objects.of(municipality).published().select_related("area"):
        seen: set[int] = set()
        published = event.published_at or now
        taken = 0
        for membership in scs:
            if membership.user_id in seen or not event.area.contains(membership.area):
                continue
            seen.add(membership.user_id)
            if rng.random() > (0.75 if not event.kind.outside else 0.3):
                continue
            full = event.capacity is not None and taken >= event.capacity
            taken += not full
            past = event.ends_at < now
            rows.append(Registration(
                event=event, user_id=membership.user_id,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                applied_at=min(published + dt.timedelta(days=rng.randint(1, 30)), now),
                attended=(rng.random() < 0.85) if past and not full else None,
            ))  # fmt: skip
    Registration.objects.bulk_create(rows)


# Local events for residents: kind, title, fee, bring, capacity, what it is.
LOCAL = [
    (
        LocalKind.TAIKEN,
        "いきいき体操 体験会",
        "無料",
        "動きやすい服装、タオル、飲み物",
        20,
        "椅子に座ってできる体操です。はじめての方も、ゆっくり体験できます。",
    ),
    (
        LocalKind.SOCIAL,
        "ふれあい交流会（お茶とおしゃべり）",
        "100円（お茶代）",
        "",
        30,
        "お茶を飲みながら、ご近所の方とおしゃべりしませんか。ひとりでも気軽にどうぞ。",
    ),
    (
        LocalKind.TRIAL,
        "スマホ教室 お試し参加",
        "無料",
        "お持ちのスマートフォン",
        4,
        "電話のかけ方、写真の送り方などを、学生ボランティアが教えます。",
    ),
    (
        LocalKind.CALL,
        "ごみ出し・買い物の手伝い 担い手説明会",
        "無料",
        "",
        None,
        "ちょっとした手伝いをしてくださる方を探しています。できることを、できるときに。",
    ),
    (
        LocalKind.TAIKEN,
        "囲碁・将棋 体験会",
        "無料",
        "",
        12,
        "初心者も歓迎です。教える人がいますので、ルールを知らなくても大丈夫です。",
    ),
    (
        LocalKind.SOCIAL,
        "多世代交流会（こどもと一緒に工作）",
        "無料",
        "はさみ",
        25,
        "こどもからお年寄りまで、一緒に工作を楽しみます。",
    ),
]
PLACES = ["地域センター 集会室", "ふれあい館 和室", "町会会館", "区民館 会議室"]
SIGNUP_NAMES = ["青木", "石川", "上田", "遠藤", "大野", "岡本", "川口", "菊地", "久保", "小池"]


def build_local_events(municipality: Area, seed: int) -> None:
    """Three local events per region in the coming months, with a few sign-ups (one event
    full, with a waiting list). Idempotent."""
    if LocalEvent.objects.of(municipality).exists():
        return
    rng = random.Random(seed + 1)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
    events = []
    for n, region in enumerate(regions):
        for k in range(3):
            kind, title, fee, bring, capacity, text = LOCAL[(n + k * 2) % len(LOCAL)]
            day = today + dt.timedelta(days=5 + k * 24 + (n * 3) % 20)
            start = dt.datetime(day.year, day.month, day.day, 10 if k % 2 else 13, 30, tzinfo=tz)
            events.append(LocalEvent(
                uid=uuid.uuid5(uuid.NAMESPACE_URL, f"sasaeai:{municipality.code}:local:{n}:{k}"),
                municipality=municipality, area=region, kind=kind, title=title, fee=fee,
                bring=bring, capacity=capacity, description=text,
                organiser=f"{region.name}地域 支え合い会議",
                venue=f"{region.name}{PLACES[(n + k) % len(PLACES)]}",
                starts_at=start, ends_at=start + dt.timedelta(hours=2),
                published_at=now - dt.timedelta(days=10),
            ))  # fmt: skip
    LocalEvent.objects.bulk_create(events)
    rows = []
    for event in LocalEvent.objects.of(municipality).order_by("uid"):
        taken = 0
        for number in range(1, rng.randint(1, 6) + 1):
            people = rng.choice([1, 1, 1, 2, 3])
            free = event.capacity is None or taken + people <= event.capacity
            taken += people if free else 0
            name = SIGNUP_NAMES[rng.randrange(len(SIGNUP_NAMES))]
            rows.append(Signup(
                event=event, number=number, name=f"{name} （デモ）", people=people,
                phone=f"03-0000-{rng.randint(0, 9999):04d}",
                status=RegistrationStatus.REGISTERED if free else RegistrationStatus.WAITING,
                applied_at=now - dt.timedelta(days=9, hours=-number),
            ))  # fmt: skip
    Signup.objects.bulk_create(rows)
