"""Demo institutions and referrals for a municipality: every kind of institution covering
the regions, and a few hundred referrals of invented people in every status, one of them
returned by one institution and re-sent to another.

Everything is drawn from one random.Random(seed). Rows are written with bulk_create (no
audit entries: demo data is nobody's action); personal fields are still encrypted.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sasaeai.accounts.models import Membership, Role
from sasaeai.areas.models import Area, AreaKind

from .kinds import seed_institution_kinds
from .models import (
    ANSWERS,
    ConsentBy,
    ConsentMethod,
    Institution,
    InstitutionKind,
    InstitutionStaff,
    Outcome,
    ProblemKind,
    Referral,
    ReferralEvent,
    Status,
)

SURNAMES = [
    "青木", "石井", "上田", "大野", "岡本", "金子", "川口", "北村", "小池", "坂本",
    "清水", "杉山", "高木", "竹内", "野口", "原田", "松尾", "村上", "森田", "吉川",
]  # fmt: skip
GIVEN = ["キヨ", "トミ", "ハル", "フミ", "ミツ", "登", "勇", "実", "久子", "房子", "昭", "武"]
PROBLEMS: dict[str, list[str]] = {
    ProblemKind.CARE: [
        "足腰が弱り、家の中の移動も大変になってきた。",
        "介護保険の申請の仕方がわからない。",
    ],
    ProblemKind.HEALTH: ["通院をやめてしまい、体調が心配。", "食事がとれていない様子がある。"],
    ProblemKind.DEMENTIA: [
        "物忘れが増え、同じものを何度も買ってくる。",
        "夜に外へ出て道に迷うことがあった。",
    ],
    ProblemKind.LIVING: ["公共料金の支払いが滞っているようだ。", "お金の管理が難しくなっている。"],
    ProblemKind.HOUSING: [
        "家の中に物が増え、通路がふさがっている。",
        "階段の上り下りができず外出できない。",
    ],
    ProblemKind.ISOLATION: ["サロンに来なくなり、家から出ていない。", "家族と連絡がとれていない。"],
    ProblemKind.ABUSE: ["家族から強い口調で責められている様子がある。"],
    ProblemKind.OTHER: ["どこに相談すればよいかわからない困りごとがある。"],
}
KIND_OF: dict[str, str] = {
    ProblemKind.CARE: "care-management", ProblemKind.HEALTH: "houkatsu",
    ProblemKind.DEMENTIA: "houkatsu", ProblemKind.LIVING: "other",
    ProblemKind.HOUSING: "rehabilitation", ProblemKind.ISOLATION: "day-service",
    ProblemKind.ABUSE: "houkatsu", ProblemKind.OTHER: "houkatsu",
}  # fmt: skip
STATUS_WEIGHTS = {Status.DRAFT: 2, Status.SENT: 2, Status.RECEIVED: 2, Status.IN_PROGRESS: 3,
                  Status.CLOSED: 8, Status.RETURNED: 1}  # fmt: skip
PATHS: dict[str, list[str]] = {
    Status.DRAFT: [], Status.SENT: [Status.SENT],
    Status.RECEIVED: [Status.SENT, Status.RECEIVED],
    Status.IN_PROGRESS: [Status.SENT, Status.RECEIVED, Status.IN_PROGRESS],
    Status.CLOSED: [Status.SENT, Status.RECEIVED, Status.IN_PROGRESS, Status.CLOSED],
    Status.RETURNED: [Status.SENT, Status.RETURNED],
}  # fmt: skip
assert all(set(p[1:]) <= set(ANSWERS) for p in PATHS.values())
PER_REGION = 16
RETURN_NOTE = "担当地域外のため、別の機関をご案内ください。"
# Each region's towns (町, with how many 丁目), the same the demo activities are addressed in.
TOWNS = Path(settings.BASE_DIR) / "data" / "demo" / "activities.toml"
# Itabashi's guidebook says more of its rehabilitation network than the default words do.
ITABASHI_REHABILITATION = (
    "板橋区では「板橋区地域リハビリテーションネットワーク」として、住民が自分たちで続ける"
    "介護予防の「10の筋トレ」などを応援しています。"
)
RESEND_NOTE = "差し戻しを受けて内容を直し、{new} へ送り直しました（前の送り先: {old}）。"


@functools.cache
def towns_by_region(path: Path = TOWNS) -> tuple[str, dict[str, list[list[Any]]]]:
    """The municipality the town lists are of, and each region's towns by its code."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data["municipality"], {code: r["towns"] for code, r in data["regions"].items()}


def street_address(municipality: Area, area: Area, pick: int, numbers: tuple[int, ...]) -> str:
    """An address in the form of a real one (板橋区小豆沢2-13-5, 板橋区熊野町12-3) in a town
    of `area` (of one of its regions, for a block or the municipality): town `pick` of them,
    its 丁目 and 番地 from `numbers`."""
    listed, towns = towns_by_region()
    below = Area.objects.within(area).regions().order_by("sort_order", "path")
    regions = [area] if area.kind == AreaKind.REGION else list(below) or [area]
    found = [
        town
        for region in regions
        for town in (towns.get(region.code) if municipality.code == listed else None)
        or [[region.name, region.kana]]
    ]
    town, _kana, *chome = found[pick % len(found)]
    block, lot, house = numbers
    if chome and chome[0]:
        return f"{municipality.name}{town}{(block - 1) % chome[0] + 1}-{lot}-{house}"
    return f"{municipality.name}{town}{lot}-{house}"


def build_institutions(municipality: Area, rng: random.Random) -> list[Institution]:
    seed_institution_kinds(municipality)
    kinds = {k.code: k for k in InstitutionKind.objects.filter(municipality=municipality)}
    rehabilitation = kinds.get("rehabilitation")
    if (municipality.code == "131199" and rehabilitation and rehabilitation.description
            and ITABASHI_REHABILITATION not in rehabilitation.description):  # fmt: skip
        rehabilitation.description += ITABASHI_REHABILITATION
        rehabilitation.save(update_fields=["description"])
    regions = list(Area.objects.of(municipality).regions().order_by("sort_order", "path"))
    blocks = list(Area.objects.of(municipality).blocks().order_by("sort_order", "path"))
    plan: list[tuple[str, str, list[Area]]] = []
    for region in regions:
        plan.append(("houkatsu", f"おとしより相談センター{region.name}", [region]))
    for number, region in enumerate(regions[::2], 1):
        plan.append(("care-management", f"ケアプランセンター{region.name}{number}", [region]))
        plan.append(("day-service", f"デイサービス{region.name}のぞみ", [region]))
    for block in blocks or [municipality]:
        name = f"{block.name.removesuffix('ブロック')}地域リハビリ支援センター"
        plan.append(("rehabilitation", name, [block]))
    plan.append(("other", f"{municipality.name}社会福祉協議会 権利擁護センター", [municipality]))
    made = []
    for number, (code, name, areas) in enumerate(plan, 1):
        centre = areas[0]
        institution = Institution.objects.create(
            municipality=municipality, kind=kinds[code], name=name,
            address=street_address(municipality, centre, number, (
                rng.randint(1, 9), rng.randint(1, 30), rng.randint(1, 20))),
            latitude=(centre.latitude or 35.75) + rng.uniform(-0.004, 0.004),
            longitude=(centre.longitude or 139.70) + rng.uniform(-0.004, 0.004),
            phone=f"03-5000-{number:04d}", hours="月〜金 8:30〜17:15",
            helps_with=str(kinds[code].name) + "として、介護・健康・くらしの相談を受けます。",
            is_public=code != "other" or rng.random() < 0.5,
        )  # fmt: skip
        institution.areas.set(areas)
        made.append(institution)
    return made


def _covering(institutions: list[Institution], region: Area, code: str) -> Institution:
    covered = {region.pk, *(a.pk for a in region.ancestors())}
    fits = [
        i for i in institutions if i.kind.code == code and covered & {a.pk for a in i.areas.all()}
    ]
    home = [i for i in institutions if i.kind.code == "houkatsu" and region in i.areas.all()]
    return (fits or home or institutions)[0]


@transaction.atomic
def build_referrals(
    municipality: Area, seed: int, today: dt.date | None = None, institution_staff: str = ""
) -> int:
    """Institutions and referrals for the municipality; the user `institution_staff` (an
    e-mail) is linked to the おとしより相談センター of the region of their institution-staff
    role. Returns how many referrals were made."""
    if Institution.objects.of(municipality).exists():
        return 0
    rng = random.Random(seed + 6)
    now = (
        timezone.now()
        if today is None
        else timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    )
    institutions = build_institutions(municipality, rng)
    institutions = list(
        Institution.objects.filter(pk__in=[i.pk for i in institutions])
        .select_related("kind").prefetch_related("areas")
    )  # fmt: skip
    regions = list(Area.objects.of(municipality).regions().order_by("sort_order", "path"))
    senders = {
        m.area_id: m.user
        for m in Membership.objects.filter(area__in=regions, role=Role.REGION_SC).select_related(
            "user"
        )
    }
    role = Membership.objects.filter(
        user__email=institution_staff, role=Role.INSTITUTION_STAFF, area__in=regions
    ).first()
    made: list[tuple[Referral, list[str]]] = []
    for region in regions:
        for _n in range(PER_REGION):
            made.append(_referral(rng, municipality, region, institutions, senders, now))
    # Re-sent to the institution of the demo's institution staff, where it waits to be read.
    region = role.area if role is not None else regions[0]
    resent, returned_by = _resent(rng, municipality, region, institutions, senders, now)
    made.append((resent, []))
    created = [r.created_at for r, _path in made]
    Referral.objects.bulk_create([r for r, _path in made])
    for (referral, _path), at in zip(made, created, strict=True):  # auto_now_add overwrote it
        referral.created_at = referral.updated_at = at
    Referral.objects.bulk_update([r for r, _path in made], ["created_at", "updated_at"])
    events = []
    for referral, path in made:
        sender = referral.created_by
        at = referral.created_at
        events.append(_event(referral, Status.DRAFT, at, sender))
        for step in path:
            at = at + dt.timedelta(days=rng.randint(1, 20))
            by = sender if step == Status.SENT else None
            events.append(_event(referral, step, at, by, referral.institution.name))
    events.extend(_resent_events(rng, resent, returned_by))
    ReferralEvent.objects.bulk_create(events)
    if role is not None:
        home = _covering(institutions, role.area, "houkatsu")
        InstitutionStaff.objects.get_or_create(user=role.user, institution=home)
    return len(made)


def _referral(rng: random.Random, municipality: Area, region: Area, institutions: list[Institution],
              senders: dict[int, Any], now: dt.datetime, status: str = "",
              kind: str = "") -> tuple[Referral, list[str]]:  # fmt: skip
    status = status or rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    kind = kind or rng.choice(list(PROBLEMS))
    path = PATHS[status]
    created = now - dt.timedelta(days=rng.randint(30 * len(path) + 1, 900))
    verbal = rng.random() < 0.4
    referral = Referral(
        municipality=municipality, area=region, status=status, problem_kind=kind,
        institution=_covering(institutions, region, KIND_OF[kind]),
        person_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        person_contact=f"03-{rng.randint(3000, 6999)}-{rng.randint(0, 9999):04d}",
        person_address=f"{municipality.name}{region.name}{rng.randint(1, 9)}-{rng.randint(1, 30)}",
        problem=rng.choice(PROBLEMS[kind]), tried="サロンや見守りの活動につないでみた。",
        created_by=senders.get(region.pk), created_at=created, updated_at=created,
    )  # fmt: skip
    if status != Status.DRAFT or rng.random() < 0.5:
        referral.consent_by = rng.choice([ConsentBy.PERSON, ConsentBy.PERSON, ConsentBy.FAMILY])
        referral.consent_method = ConsentMethod.VERBAL if verbal else ConsentMethod.WRITTEN
        referral.consent_witness = "地域のコーディネーター" if verbal else ""
        referral.consent_on = created.date()
        referral.consent_purpose = "専門機関に相談をつなぐため"
    if path:
        referral.sent_at = created + dt.timedelta(days=1)
    if status in (Status.CLOSED, Status.RETURNED):
        referral.finished_at = created + dt.timedelta(days=rng.randint(20, 25))
        outcomes = [Outcome.SERVICE, Outcome.ADVICE, Outcome.OTHER_BODY, Outcome.DECLINED]
        referral.outcome = rng.choice(outcomes) if status == Status.CLOSED else ""
    return referral, path


def _resent(rng: random.Random, municipality: Area, region: Area, institutions: list[Institution],
            senders: dict[int, Any], now: dt.datetime) -> tuple[Referral, Institution]:  # fmt: skip
    """A referral sent to a day service, returned by it, and re-sent to the region's
    おとしより相談センター, where it waits; and the institution that returned it."""
    referral, _path = _referral(rng, municipality, region, institutions, senders, now,
                                Status.SENT, ProblemKind.ISOLATION)  # fmt: skip
    referral.institution = _covering(institutions, region, "houkatsu")
    returned_by = next(
        (i for i in institutions if i.kind.code == "day-service"),
        next(i for i in institutions if i != referral.institution),
    )
    return referral, returned_by


def _resent_events(
    rng: random.Random, referral: Referral, returned_by: Institution
) -> list[ReferralEvent]:
    """The steps after its draft: sent, returned, sent again (build_referrals adds the draft)."""
    sender = referral.created_by
    sent = referral.sent_at or referral.created_at
    returned = sent + dt.timedelta(days=rng.randint(2, 5))
    resent = returned + dt.timedelta(days=rng.randint(1, 3))
    note = RESEND_NOTE.format(new=referral.institution.name, old=returned_by.name)
    return [
        _event(referral, Status.SENT, sent, sender),
        _event(referral, Status.RETURNED, returned, None, returned_by.name),
        _event(referral, Status.SENT, resent, sender, note=note),
    ]


def _event(
    referral: Referral, status: str, at: dt.datetime, by: Any, name: str = "", note: str = ""
) -> ReferralEvent:
    return ReferralEvent(
        referral=referral, status=status, at=at, by=by,
        by_name=str(by) if by is not None else name,
        note=note or (RETURN_NOTE if status == Status.RETURNED else ""),
    )  # fmt: skip
