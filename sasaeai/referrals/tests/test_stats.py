"""Statistics per fiscal year: the numbers of hand-made referrals, scoped to the person's
areas, with no personal data on the page or in the files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.audit.models import Action, AuditEntry
from sasaeai.referrals import services, stats
from sasaeai.referrals.models import Referral, Status
from sasaeai.test import make_user

from .builders import PERSON, make_institution, make_referral

pytestmark = pytest.mark.django_db
URL = "/staff/referrals/stats/"
TZ = timezone.get_current_timezone()


def sent_at(referral: Referral, day: dt.date, time: dt.time = dt.time(10)) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=dt.datetime.combine(day, time, tzinfo=TZ)
    )
    return referral


@pytest.fixture
def data(users: dict) -> dict[str, Any]:
    a = make_institution()
    b = make_institution("おとしより相談センター成増", covers=("narimasu",))
    sc = users["sc"]
    sent_at(make_referral(a, by=sc, status=Status.CLOSED, problem_kind="dementia"),
            dt.date(2025, 4, 1), dt.time(0, 0))  # fmt: skip
    sent_at(make_referral(a, by=sc, status=Status.RETURNED, problem_kind="care"),
            dt.date(2025, 10, 10))  # fmt: skip
    sent_at(make_referral(b, "narimasu", by=sc, status=Status.SENT, problem_kind="care"),
            dt.date(2026, 3, 31), dt.time(23, 0))  # fmt: skip
    anonymous = make_referral(b, by=sc, status=Status.CLOSED, problem_kind="dementia")
    services.anonymise(sent_at(anonymous, dt.date(2025, 6, 1)))
    make_referral(a, by=sc, problem_kind="care")  # a draft: never sent, never counted
    sent_at(make_referral(a, by=sc, status=Status.SENT, problem_kind="health"),
            dt.date(2025, 3, 31), dt.time(23, 59))  # the fiscal year before  # fmt: skip
    foreign = make_institution("みどり町の相談窓口", covers=("minami-jhs",),
                               municipality_code="999991")  # fmt: skip
    sent_at(make_referral(foreign, "minami-jhs", status=Status.SENT, problem_kind="care"),
            dt.date(2025, 5, 1))  # fmt: skip
    return {"a": a, "b": b}


def numbers(client: Client, query: str = "") -> dict[str, dict[str, int]]:
    """The page's tables as {title: {row: count}}, read back from the CSV download."""
    response = client.get(URL + "?format=csv" + query)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["年度", "集計", "項目", "件数"]
    found: dict[str, dict[str, int]] = {}
    for _year, title, name, n in rows[1:]:
        found.setdefault(title, {})[name] = int(n)
    return found


def test_ward_counts_the_whole_municipality_by_fiscal_year(
    client: Client, users: dict, data: dict
) -> None:
    client.force_login(users["ward"])
    got = numbers(client, "&year=2025")
    assert got["相談の種類別"]["介護・介護保険"] == 2
    assert got["相談の種類別"]["認知症"] == 2
    assert got["相談の種類別"]["健康・医療"] == 0  # sent on 31 March 2025: the year before
    assert got["つなぐ先の機関別"] == {"おとしより相談センター高島平": 2,
                                     "おとしより相談センター成増": 2}  # fmt: skip
    assert got["地域別"] == {"高島平": 3, "成増": 1}
    assert got["今の状態別"]["送付済み"] == 1
    assert got["今の状態別"]["差し戻し"] == 1
    assert got["今の状態別"]["終了"] == 2  # one of them anonymised: still counted
    assert "下書き" not in got["今の状態別"]
    assert got["結果別（終了したもの）"]["相談・助言で解決した"] == 2
    before = numbers(client, "&year=2024")
    assert before["相談の種類別"]["健康・医療"] == 1 and sum(before["地域別"].values()) == 1


def test_page_shows_the_same_numbers_and_no_person(client: Client, users: dict, data: dict) -> None:
    client.force_login(users["ward"])
    response = client.get(URL, {"year": 2025})
    text = response.content.decode()
    assert response.status_code == 200
    assert "送ったつなぎ: 4 件" in text and "うち匿名化済み: 1 件" in text
    assert '<option value="2024">2024年度</option>' in text  # the years that have referrals
    assert PERSON not in text and "物忘れ" not in text


def test_each_person_counts_only_their_areas(client: Client, users: dict, data: dict) -> None:
    expected = {"sc": 3, "institution": 3, "block": 4, "other_sc": 0, "other_admin": 1}
    for who, total in expected.items():
        client.force_login(users[who])
        got = numbers(client, "&year=2025")
        assert sum(got["相談の種類別"].values()) == total, who


def test_xlsx_holds_the_same_rows(client: Client, users: dict, data: dict) -> None:
    client.force_login(users["ward"])
    response = client.get(URL + "?year=2025&format=xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="referral-statistics-2025.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["2025年度", "地域別", "高島平", 3] in rows
    assert AuditEntry.objects.filter(action=Action.READ, detail__contains="statistics").exists()


def test_cp932_download(client: Client, users: dict, data: dict) -> None:
    client.force_login(users["ward"])
    response = client.get(URL + "?year=2025&format=cp932")
    assert "成増" in response.content.decode("cp932")


def test_bad_year_is_refused_in_japanese(client: Client, users: dict, data: dict) -> None:
    client.force_login(users["ward"])
    response = client.get(URL, {"year": "1999"})
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()


def test_people_without_a_role_are_refused(client: Client, itabashi: Any) -> None:
    nobody = make_user("nobody@example.jp")
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor=nobody.email).exists()


def test_years_run_from_the_first_sending_to_this_year(users: dict, data: dict) -> None:
    found = stats.years(Referral.objects.of(data["a"].municipality), dt.date(2026, 11, 27))
    assert found == [2026, 2025, 2024, 2023, 2022]
    older = sent_at(Referral.objects.exclude(sent_at=None).first(), dt.date(2019, 4, 1))  # type: ignore[arg-type]
    assert stats.years(Referral.objects.filter(pk=older.pk), dt.date(2026, 11, 27))[-1] == 2019
