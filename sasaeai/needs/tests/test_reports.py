"""The counts and the gap view, against data made by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.models import Status as ActivityStatus
from sasaeai.directory.models import Visibility
from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs import reports, services
from sasaeai.needs.kinds import seed_need_kinds
from sasaeai.needs.models import Need, NeedKind, Status
from sasaeai.test import area

from .builders import make_need

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 10)


@pytest.fixture
def data(users: dict) -> dict[str, Any]:
    """高島平: 2 shopping (1 met), 1 talk, 1 meals; 成増: 1 meals, 1 shopping last year.
    Published activities in 高島平: a salon (talk, place, information) and one shopping
    group; a draft meals group and a staff-only one do not count."""
    sc = users["sc"]
    met = make_need(kind="shopping", reported_on=APRIL)
    make_need(kind="shopping", reported_on=APRIL)
    make_need(kind="talk", reported_on=APRIL)
    make_need(kind="meals", reported_on=APRIL)
    make_need("narimasu", kind="meals", reported_on=APRIL)
    make_need("narimasu", kind="shopping", reported_on=dt.date(2025, 4, 10))
    make_need("kita-jhs", kind="meals", reported_on=APRIL)  # another municipality
    shop = make_activity("一緒に買い物の会", kinds=("shopping",))
    make_activity("いきいきサロン", kinds=("salon", "tea"))
    make_activity("おかず会（準備中）", kinds=("sharing-food",), status=ActivityStatus.DRAFT)
    make_activity("内輪のおすそ分け", kinds=("sharing-food",), visibility=Visibility.STAFF)
    make_activity("成増のおすそ分け", "narimasu", kinds=("sharing-food",))
    services.move(met, Status.MET_BY_ACTIVITY, by=sc, on=APRIL, activity=shop)
    return {}


def kinds() -> list[NeedKind]:
    return list(NeedKind.objects.of(area("131199")).prefetch_related("activity_kinds"))


def test_gap_of_a_region(data: dict) -> None:
    needs = Need.objects.within(area("takashimadaira")).reported_between(
        dt.date(2026, 4, 1), dt.date(2026, 11, 30)
    )
    rows = {r.kind.code: r for r in reports.gap(needs, kinds(), area("takashimadaira"))}
    assert (rows["shopping"].needs, rows["shopping"].open_needs) == (2, 1)
    assert rows["shopping"].activities == 1 and not rows["shopping"].is_gap
    assert rows["talk"].activities == 1 and not rows["talk"].is_gap  # the salon, counted once
    assert rows["meals"].needs == 1 and rows["meals"].activities == 0 and rows["meals"].is_gap
    assert rows["exercise"].needs == 0 and not rows["exercise"].is_gap  # no need, no gap
    assert rows["other"].activities is None and not rows["other"].is_gap
    assert rows["going-out"].activities == 1  # shopping together also helps going out


def test_gap_of_the_ward_counts_every_region(data: dict) -> None:
    needs = Need.objects.within(area("131199")).reported_between(dt.date(2026, 4, 1), None)
    rows = {r.kind.code: r for r in reports.gap(needs, kinds(), area("131199"))}
    assert rows["meals"].needs == 2 and rows["meals"].activities == 1  # 成増's group
    assert rows["shopping"].needs == 2  # last year's 成増 need is outside the period


def test_counts_by_kind_status_and_region(data: dict) -> None:
    needs = Need.objects.within(area("blk-akatsuka")).reported_between(dt.date(2026, 4, 1), None)
    rows, total = reports.by_kind_and_status(needs, kinds())
    by_kind = {r.label: r.counts for r in rows}
    statuses = [s.value for s in Status]
    shopping = dict(zip(statuses, by_kind["買い物"], strict=True))
    assert shopping == {"new": 1, "discussed": 0, "met_by_activity": 1,
                        "new_activity_started": 0, "referred": 0, "cannot_be_met": 0}  # fmt: skip
    assert total.total == 5 and total.counts[0] == 4
    regions, region_total = reports.by_region_and_status(needs, area("blk-akatsuka"))
    by_region = {r.label: r.total for r in regions}
    assert by_region == {"下赤塚": 0, "成増": 1, "徳丸": 0, "高島平": 4}
    assert region_total.total == 5


def test_gap_page_marks_kinds_with_needs_and_no_activity(
    client: Client, users: dict, data: dict
) -> None:
    client.force_login(users["sc"])
    query = {"area": str(area("takashimadaira").pk), "start": "2026-04-01", "end": "2026-11-30"}
    text = client.get("/staff/needs/gap/", query).content.decode()
    assert text.count('<span class="badge-gap">活動なし</span>') == 1
    row = text[text.index("食事") : text.index("</tr>", text.index("食事"))]
    assert "活動なし" in row
    report = client.get("/staff/needs/report/", query).content.decode()
    assert "種類と状態" in report and "今ある活動につないだ" in report
    bad = client.get("/staff/needs/report/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert "終わりの日は始まりの日より後にしてください。" in bad.content.decode()


def test_a_new_municipality_gets_the_need_kinds_linked_to_its_activity_kinds(db: Any) -> None:
    from sasaeai.test import load_other_town

    town = load_other_town()
    kinds_ = NeedKind.objects.of(town)
    assert [k.name for k in kinds_] == [
        "買い物", "外出・移動", "ちょっとした家事（電球交換など）", "話し相手", "見守り", "食事",
        "居場所", "運動", "情報", "その他",
    ]  # fmt: skip
    talk = kinds_.get(code="talk")
    assert {k.code for k in talk.activity_kinds.all()} == {"tea", "salon", "greeting"}
    assert all(k.municipality == town for k in talk.activity_kinds.all())
    assert seed_need_kinds(town) == 0
