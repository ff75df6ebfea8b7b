"""A region's participants page: the SC (or the ward side) enters every activity's figures of a
年度 with one reference month, all or nothing; each bad row says why in Japanese; a cleared row
removes its figures; a closed 年度 changes nothing; others read, or get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from sasaeai.audit.models import AuditEntry
from sasaeai.directory.models import Activity, Status
from sasaeai.directory.tests.builders import make_activity
from sasaeai.progress.models import Participation, Population, YearClosure
from sasaeai.test import area

pytestmark = pytest.mark.django_db
URL = "/staff/progress/takashimadaira/participants/?year=2026"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def salons(itabashi: Any) -> list[Activity]:
    """Two 通いの場 of 高島平 and a monthly visit without a place (not one)."""
    return [
        make_activity("いきいきサロン"),
        make_activity("体操の会"),
        make_activity("見守り訪問", place=None),
    ]


def row(activity: Activity, *values: str) -> dict[str, str]:
    names = ["participants", "men", "women", "aged_65_74", "aged_75_up", "per_session"]
    return {f"a{activity.pk}-{name}": value for name, value in zip(names, values, strict=False)}


def post(client: Client, *rows: dict[str, str], month: str = "2027-03") -> Any:
    data = {"month": month}
    for values in rows:
        data |= values
    return client.post(URL, data)


def test_the_sc_enters_the_figures_and_they_are_stored_as_typed(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise, visits = salons
    response = post(
        signed_in(users["sc"]),
        row(salon, "25", "5", "18", "9", "14", "16"),
        row(exercise, "１２", "", "", "", "", ""),  # full-width digits; the rest not known
        row(visits, "", "", "", "", "", ""),
        month="2027-02",
    )
    assert response.status_code == 302 and response["Location"] == URL
    stored = {p.activity_id: p for p in Participation.objects.all()}
    assert set(stored) == {salon.pk, exercise.pk}
    first = stored[salon.pk]
    assert (first.fiscal_year, first.month) == (2026, dt.date(2027, 2, 1))
    assert (first.participants, first.men, first.women) == (25, 5, 18)
    assert (first.aged_65_74, first.aged_75_up, first.per_session) == (9, 14, 16)
    assert first.entered_by == users["sc"]
    second = stored[exercise.pk]
    assert second.participants == 12 and second.month == dt.date(2027, 2, 1)
    assert [second.men, second.women, second.aged_65_74, second.aged_75_up] == [None] * 4
    assert AuditEntry.objects.filter(model="progress.Participation", action="create").count() == 2
    page = signed_in(users["sc"]).get(URL).content.decode()
    assert '<option value="2027-02" selected>' in page
    assert 'value="25"' in page


def test_the_month_starts_at_march_and_one_month_serves_the_page(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise, _ = salons
    client = signed_in(users["sc"])
    assert '<option value="2027-03" selected>2027年3月</option>' in client.get(URL).content.decode()
    Participation.objects.create(
        activity=exercise, fiscal_year=2026, month=dt.date(2026, 11, 1), participants=9
    )
    assert post(client, row(salon, "20"), row(exercise, "9")).status_code == 302
    assert set(Participation.objects.values_list("month", flat=True)) == {dt.date(2027, 3, 1)}
    assert post(client, row(salon, "20"), month="2025-03").status_code == 400


def test_one_bad_row_writes_nothing_and_every_row_says_why(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise, visits = salons
    more = make_activity("お茶会")
    last = make_activity("囲碁の会")
    response = post(
        signed_in(users["sc"]),
        row(salon, "25", "5", "18"),  # good, and still not written
        row(exercise, "-3"),
        row(visits, "12人"),
        row(more, "10", "6", "5"),
        row(last, "10", "", "", "4", "7"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "まだ何も保存していません" in page
    assert "0 以上の数を書いてください（負の数は書けません）。" in page
    assert "数字で書いてください（例: 12）。" in page
    assert "男性と女性の合計（11 人）が参加者実人数（10 人）を超えています。" in page
    assert "65〜74歳と75歳以上の合計（11 人）が参加者実人数（10 人）を超えています。" in page
    assert "体操の会（参加者実人数）: 0 以上の数を書いてください" in page  # in the summary
    assert 'value="12人"' in page  # what was typed comes back, to be put right
    assert not Participation.objects.exists()


def test_figures_without_a_total_are_refused(users: dict, salons: list[Activity]) -> None:
    response = post(signed_in(users["sc"]), row(salons[0], "", "3", "4"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "参加者実人数を書いてください（内訳だけでは保存できません）。" in page
    assert not Participation.objects.exists()


def test_an_empty_row_is_not_entered_and_a_cleared_row_is_removed(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise, visits = salons
    for activity, people in ((salon, 20), (exercise, 15)):
        Participation.objects.create(
            activity=activity, fiscal_year=2026, month=dt.date(2027, 3, 1), participants=people
        )
    earlier = Participation.objects.create(
        activity=salon, fiscal_year=2025, month=dt.date(2026, 3, 1), participants=18
    )
    client = signed_in(users["sc"])
    # The salon cleared, the visits left empty, the exercise group not sent at all.
    response = post(client, row(salon, "", "", "", "", "", ""), row(visits, "", ""))
    assert response.status_code == 302
    assert set(Participation.objects.values_list("activity_id", "fiscal_year")) == {
        (exercise.pk, 2026),
        (salon.pk, 2025),
    }
    assert Participation.objects.get(pk=earlier.pk).participants == 18


def test_a_closed_year_is_shown_and_never_changed(users: dict, salons: list[Activity]) -> None:
    salon = salons[0]
    kept = Participation.objects.create(
        activity=salon, fiscal_year=2026, month=dt.date(2027, 3, 1), participants=20
    )
    closure = YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    client = signed_in(users["sc"])
    page = client.get(URL).content.decode()
    assert "2026年度（令和8年度）は締められています。数字は変えられません。" in page
    assert f'name="a{salon.pk}-participants"' not in page
    response = post(client, row(salon, "30"), row(salons[1], "9"))
    assert response.status_code == 409
    assert "締められているため、変えられません。何も保存していません。" in response.content.decode()
    assert Participation.objects.get().participants == 20 and Participation.objects.count() == 1
    closure.reopened_at = timezone.now()
    closure.save()
    assert post(client, row(salon, "30")).status_code == 302
    assert Participation.objects.get(pk=kept.pk).participants == 30


@pytest.mark.parametrize("who", ["sc", "ward", "admin", "block"])
def test_the_sc_and_the_ward_side_enter(users: dict, salons: list[Activity], who: str) -> None:
    client = signed_in(users[who])
    assert f'name="a{salons[0].pk}-participants"' in client.get(URL).content.decode()
    assert post(client, row(salons[0], "11")).status_code == 302
    assert Participation.objects.get().participants == 11


def test_a_council_member_reads_and_may_not_enter(users: dict, salons: list[Activity]) -> None:
    Participation.objects.create(
        activity=salons[0], fiscal_year=2026, month=dt.date(2027, 3, 1), participants=20, men=4
    )
    client = signed_in(users["member"])
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<dt>参加者実人数</dt><dd>20</dd>" in page
    assert "<dt>うち男性</dt><dd>4</dd>" in page and "<dt>うち女性</dt><dd>—</dd>" in page
    assert 'name="month"' not in page
    assert post(client, row(salons[0], "99")).status_code == 403
    assert Participation.objects.get().participants == 20
    assert AuditEntry.objects.filter(action="denied").exists()


def test_others_get_404(users: dict, salons: list[Activity]) -> None:
    for who in ("other_sc", "other_admin"):
        client = signed_in(users[who])
        assert client.get(URL).status_code == 404, who
        assert post(client, row(salons[0], "5")).status_code == 404, who
    assert signed_in(users["institution"]).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to sign in
    # A block has no activities of its own to count: its address is not a page.
    block = "/staff/progress/blk-akatsuka/participants/"
    assert signed_in(users["ward"]).get(block).status_code == 404
    assert signed_in(users["sc"]).get(f"{URL[:-4]}1999").status_code == 404
    assert not Participation.objects.exists()


def test_ended_activities_show_only_with_figures_and_the_rate_is_worked_out(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise, visits = salons
    gone = make_activity("終わったサロン", status=Status.ENDED)
    counted = make_activity("去年までのサロン", status=Status.ENDED)
    make_activity("成増のサロン", "narimasu")
    for activity, people in ((salon, 20), (exercise, 16), (visits, 7), (counted, 4)):
        Participation.objects.create(
            activity=activity, fiscal_year=2026, month=dt.date(2027, 3, 1), participants=people
        )
    Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2026, aged_65_up=3200, as_of=dt.date(2027, 1, 1)
    )
    page = signed_in(users["sc"]).get(URL).content.decode()
    assert "去年までのサロン" in page and gone.name not in page and "成増のサロン" not in page
    # 通いの場 only: 20 + 16 + 4 (the visits have no place to gather), of 3,200.
    assert "通いの場の参加者実人数 40 人 ÷ 65歳以上の人口 3,200 人 = <strong>1.3 %</strong>" in page


def test_the_entry_links_lead_to_the_pages_of_the_area_and_year(itabashi: Any) -> None:
    region = render_to_string(
        "progress/_entry_links.html", {"area": area("takashimadaira"), "year": 2025}
    )
    assert 'href="/staff/progress/takashimadaira/participants/?year=2025"' in region
    assert 'href="/staff/progress/takashimadaira/population/?year=2025"' in region
    block = render_to_string(
        "progress/_entry_links.html", {"area": area("blk-akatsuka"), "year": 2025}
    )
    assert "participants" not in block
    assert 'href="/staff/progress/blk-akatsuka/population/?year=2025"' in block
