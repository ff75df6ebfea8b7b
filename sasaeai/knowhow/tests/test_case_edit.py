"""Writing and changing a case: who may, and what bad input gets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import area

from ..models import Case, CaseStatus
from .builders import make_case

pytestmark = pytest.mark.django_db


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "area": area("takashimadaira").pk, "title": "団地の見守り", "happened_on": "2026-05-10",
        "stage": "2", "questions": ["keep_going"], "audience": "staff",
        "steps": "1. 声をかける\n2. 集まる", "results": "見守りの担い手が8人になりました。",
        "voice-TOTAL_FORMS": "2", "voice-INITIAL_FORMS": "0",
        "voice-0-role": "自治会長", "voice-0-words": "安心しました。",
    }  # fmt: skip
    data.update(fields)
    return data


def test_a_region_sc_writes_a_case_for_their_region(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    page = client.get("/staff/knowhow/cases/new/").content.decode()
    assert "高島平" in page and "板橋（地域）" not in page  # only the SC's own region
    response = client.post("/staff/knowhow/cases/new/", form())
    case = Case.objects.get()
    assert response["Location"] == f"/staff/knowhow/cases/{case.pk}/"
    assert case.status == CaseStatus.DRAFT and case.author == users["sc"]
    assert [q.question for q in case.questions.all()] == ["keep_going"]
    assert case.voices.get().role == "自治会長"
    assert "団地の見守り" in client.get(response["Location"]).content.decode()


def test_another_regions_area_is_refused(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    response = client.post("/staff/knowhow/cases/new/", form(area=area("itabashi").pk))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "選びなおしてください。" in response.content.decode()


def test_a_region_sc_cannot_edit_another_regions_case(
    client: Client, users: dict[str, User]
) -> None:
    draft = make_case("itabashi", "板橋の下書き", by=users["other_sc"])
    published = make_case("itabashi", "板橋の事例", by=users["other_sc"], status="published")
    client.force_login(users["sc"])
    assert client.get(f"/staff/knowhow/cases/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/staff/knowhow/cases/{draft.pk}/edit/", form()).status_code == 404
    # A published case is read by all, changed by its own area's people only.
    assert client.get(f"/staff/knowhow/cases/{published.pk}/edit/").status_code == 403
    assert client.post(f"/staff/knowhow/cases/{published.pk}/edit/", form()).status_code == 403
    published.refresh_from_db()
    assert published.title == "板橋の事例"


def test_block_and_ward_edit_the_cases_below_them(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"])
    for who in ("block", "ward"):
        client.force_login(users[who])
        response = client.post(f"/staff/knowhow/cases/{case.pk}/edit/", form(title=f"{who}版"))
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.title == f"{who}版"


def test_a_council_member_reads_but_does_not_write(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["member"])
    assert client.get("/staff/knowhow/cases/new/").status_code == 403
    assert client.post("/staff/knowhow/cases/new/", form()).status_code == 403
    assert client.get("/staff/knowhow/").status_code == 200


def test_an_empty_title_is_refused_in_japanese(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    response = client.post("/staff/knowhow/cases/new/", form(title="  ", questions=[]))
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "題名を書いてください。" in page and "★の問いを1つ以上選んでください。" in page


def test_markup_is_refused_and_never_echoed_raw(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    response = client.post("/staff/knowhow/cases/new/", form(results="<script>alert(1)</script>"))
    page = response.content.decode()
    assert not Case.objects.exists()
    assert "タグ（HTMLなど）は使えません" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_text_with_angle_brackets_is_shown_escaped(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], results="参加者 12人 -> 25人 & 笑顔 < 前より多い")
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "12人 -&gt; 25人 &amp; 笑顔 &lt; 前より多い" in page


def test_a_name_needs_consent(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    response = client.post("/staff/knowhow/cases/new/", form(**{"voice-0-name": "高島 太郎"}))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "本人が同意したときだけ" in response.content.decode()


def test_links_are_offered_from_the_cases_area(client: Client, users: dict[str, User]) -> None:
    from sasaeai.directory.tests.builders import make_activity

    own = make_activity("高島平ひだまりサロン")
    make_activity("板橋のサロン", "itabashi")
    case = make_case(by=users["sc"])
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/edit/").content.decode()
    assert "高島平ひだまりサロン" in page and "板橋のサロン" not in page
    client.post(f"/staff/knowhow/cases/{case.pk}/edit/", form(activities=[own.pk]))
    assert list(case.activities.all()) == [own]
