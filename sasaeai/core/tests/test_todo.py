"""The staff home lists what waits on the person, oldest first with its age, for their areas
only, at a cost in queries that does not grow with their reach or with what waits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.areas.models import Area, AreaKind
from sasaeai.budgets.models import ExpenseStatus
from sasaeai.budgets.tests.builders import make_budget, make_expense
from sasaeai.councils.tests.builders import make_action, make_council, make_meeting
from sasaeai.directory.models import Proposal, ProposalKind
from sasaeai.needs.tests.builders import make_need
from sasaeai.referrals.models import Institution
from sasaeai.referrals.models import Status as ReferralStatus
from sasaeai.referrals.tests.builders import link_staff, make_institution, make_referral
from sasaeai.support.tests.builders import council_of, make_request
from sasaeai.test import area

pytestmark = pytest.mark.django_db
URL = "/staff/"
CALM = "いま急ぎの仕事はありません"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def overdue_action(area_code: str, what: str, late: int = 12) -> Any:
    meeting = make_meeting(make_council(area_code), date=days_ago(late + 30))
    return make_action(meeting, what, due_on=days_ago(late))


def proposal(area_code: str, name: str, age: int = 5) -> Proposal:
    place = area(area_code)
    made = Proposal.objects.create(
        municipality=place.municipality or place, area=place, kind=ProposalKind.NEW, name=name,
        details="毎週火曜の午後、集会所で体操をしています。",
    )  # fmt: skip
    Proposal.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(age))
    return made


def home(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_an_sc_sees_an_overdue_action_and_a_new_proposal_with_age_and_link(
    client: Client, users: dict
) -> None:
    action = overdue_action("takashimadaira", "掲示板にチラシを貼る", late=12)
    proposal("takashimadaira", "はすのみ体操クラブ", age=5)
    text = home(client, users["sc"])
    assert "期限を過ぎたやること" in text and "掲示板にチラシを貼る" in text
    assert f'href="/staff/councils/meetings/{action.meeting_id}/"' in text
    assert "12日前" in text
    assert "住民からの活動の情報" in text and "はすのみ体操クラブ" in text
    assert 'href="/staff/activities/proposals/"' in text and "5日前" in text
    assert CALM not in text
    # The to-do list comes before the cards, which stay.
    assert text.index("掲示板にチラシを貼る") < text.index('id="region-work"')


def test_another_regions_work_is_not_shown(client: Client, users: dict) -> None:
    overdue_action("itabashi", "よその地域のやること")
    proposal("itabashi", "よその地域の情報")
    make_need("itabashi")
    text = home(client, users["sc"])
    assert "よその地域のやること" not in text and "よその地域の情報" not in text
    assert "まだ開いていない困りごと" not in text and CALM in text


def test_the_ward_sees_every_regions_work(client: Client, users: dict) -> None:
    overdue_action("takashimadaira", "高島平のやること", late=3)
    overdue_action("itabashi", "板橋のやること", late=20)
    text = home(client, users["ward"])
    assert "高島平のやること" in text and "板橋のやること" in text
    assert text.index("板橋のやること") < text.index("高島平のやること")  # oldest first
    assert "2 件" in text


def test_nothing_waiting_says_so(client: Client, users: dict) -> None:
    done = overdue_action("takashimadaira", "終わったやること")
    done.status = "done"
    done.save()
    text = home(client, users["sc"])
    assert CALM in text and "終わったやること" not in text


def test_unanswered_requests_wait_on_the_ward_side_not_on_the_asking_sc(
    client: Client, users: dict
) -> None:
    make_request(make_council("takashimadaira"), title="受付を手伝ってほしい", by=users["sc"])
    assert "受付を手伝ってほしい" not in home(client, users["sc"])
    assert "受付を手伝ってほしい" in home(client, users["block"])
    assert "受付を手伝ってほしい" in home(client, users["ward"])


def test_a_returned_referral_waits_on_its_sender_only(client: Client, users: dict) -> None:
    institution = make_institution()
    link_staff(users["institution"], institution)
    referral = make_referral(institution, by=users["sc"], status=ReferralStatus.RETURNED)
    text = home(client, users["sc"])
    assert "差し戻されたつなぎ" in text and f'href="/staff/referrals/{referral.pk}/"' in text
    assert "物忘れ" not in text  # the number and the institution, never the person
    for who in ("institution", "ward", "other_sc"):
        assert referral.number not in home(client, users[who]), who


def test_needs_budgets_and_activities_to_confirm(client: Client, users: dict) -> None:
    from sasaeai.directory.tests.builders import make_activity

    need = make_need("takashimadaira")
    budget = make_budget(make_council("takashimadaira"), amount=100_000)
    make_expense(budget, amount=95_000, status=ExpenseStatus.APPROVED)
    make_activity("ひだまりサロン", last_confirmed=days_ago(400))
    text = home(client, users["sc"])
    assert f'href="/staff/needs/{need.pk}/"' in text and need.number in text
    assert "9割以上使った運営費" in text and "95% 使用" in text
    assert "ひだまりサロン" in text and "400日前" in text
    # The needs card's 新着 says the same count.
    assert "新着 1 件" in text


def pile(area_codes: list[str], each: int) -> None:
    """`each` waiting records of every kind in each area (and one budget nearly spent)."""
    institution = make_institution(name=f"包括{Institution.objects.count()}")
    for code in area_codes:
        council = council_of(code)
        meeting = make_meeting(council, date=days_ago(60))
        if not council.budgets.exists():
            budget = make_budget(council, amount=1_000)
            make_expense(budget, amount=950, status=ExpenseStatus.APPROVED)
        for n in range(each):
            make_action(meeting, f"やること{n}", due_on=days_ago(n + 1))
            proposal(code, f"情報{n}", age=n)
            make_need(code)
            make_request(council, title=f"依頼{n}")
            make_referral(institution, area_code=code, status=ReferralStatus.RETURNED)


def cost(client: Client, user: Any) -> int:
    client.force_login(user)
    client.get(URL)  # the first request of a process remembers the host's municipality
    with CaptureQueriesContext(connection) as sent:
        assert client.get(URL).status_code == 200
    return len(sent.captured_queries)


def test_the_home_costs_the_same_queries_for_the_ward_as_for_a_region(
    client: Client, users: dict
) -> None:
    regions = list(Area.objects.within(area("131199")).filter(kind=AreaKind.REGION))
    assert len(regions) == 18
    ward_empty, sc_empty = cost(client, users["ward"]), cost(client, users["sc"])
    pile([r.code for r in regions], each=1)
    ward_some, sc_some = cost(client, users["ward"]), cost(client, users["sc"])
    pile(["takashimadaira", "itabashi"], each=4)
    ward_many, sc_many = cost(client, users["ward"]), cost(client, users["sc"])
    # Whatever waits, each person's home costs the same; the SC's own referrals' kind and
    # news are what the ward's staff, who handle no referral, do not have.
    assert ward_empty == ward_some == ward_many, (ward_empty, ward_some, ward_many)
    assert sc_empty == sc_some == sc_many, (sc_empty, sc_some, sc_many)
    assert sc_many <= ward_many + 2, (sc_many, ward_many)
    text = home(client, users["ward"])
    assert "受付待ちの依頼をすべて見る（26 件）" in text  # more than the few shown
