"""The organiser's confirmation link (issue 30): it works without an account, 「変わりありません」
confirms the activity; it opens one activity only, stops after the season, answers on its
own municipality's site only, and a reissued code replaces the old one; guessing is limited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory import confirm
from sasaeai.directory.models import Answer, ConfirmationRequest
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import OTHER_HOST

from .confirm_builders import make_request, make_season

pytestmark = pytest.mark.django_db


def test_no_change_confirms_the_activity_in_one_tap(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン", fee="100円")
    request, code = make_request(salon)
    page = client.get(f"/confirm/{code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "高島平ひだまりサロン" in text and "100円" in text and "変わりありません" in text
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert 'name="robots" content="noindex' in text

    answered = client.post(f"/confirm/{code}/", {"answer": "same"}, follow=True)
    assert "「変わりなし」と受け付けました" in answered.content.decode()
    salon.refresh_from_db()
    assert salon.last_confirmed == timezone.localdate()
    request.refresh_from_db()
    assert request.answer == Answer.CONFIRMED


def test_an_empty_post_confirms_nothing(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    request, code = make_request(salon)
    page = client.post(f"/confirm/{code}/", {}, follow=True)
    assert "もう一度「変わりありません」を押してください" in page.content.decode()
    salon.refresh_from_db()
    request.refresh_from_db()
    assert salon.last_confirmed is None and request.answer == Answer.NONE


def test_a_code_opens_its_own_activity_only(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    walk = make_activity("高島平ウォーキング")
    season = make_season()
    _request, code = make_request(salon, season)
    other, _other_code = make_request(walk, season)
    text = client.get(f"/confirm/{code}/").content.decode()
    assert "高島平ひだまりサロン" in text and "高島平ウォーキング" not in text
    # Whatever else the form says, the answer is the code's activity's.
    client.post(f"/confirm/{code}/", {"answer": "same", "activity": walk.pk})
    walk.refresh_from_db()
    other.refresh_from_db()
    assert walk.last_confirmed is None and other.answer == Answer.NONE
    salon.refresh_from_db()
    assert salon.last_confirmed == timezone.localdate()


def test_the_link_stops_after_the_season(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    request, code = make_request(salon, make_season(days_left=-1))
    page = client.get(f"/confirm/{code}/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "受付の期間が終わりました" in text and "高島平ひだまりサロン" not in text
    assert client.post(f"/confirm/{code}/", {"answer": "same"}).status_code == 410
    assert client.post(f"/confirm/{code}/correct/", {"fee": "500円"}).status_code == 410
    salon.refresh_from_db()
    request.refresh_from_db()
    assert salon.last_confirmed is None and request.answer == Answer.NONE


def test_the_season_lasts_to_the_end_of_its_last_day(itabashi: object) -> None:
    season = make_season(days_left=0)
    assert not season.is_over
    assert timezone.localtime(season.expires_at).date() > season.ends_on


def test_a_reissued_code_replaces_the_old_one(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    request, old = make_request(salon)
    new = confirm.reissue(request)
    assert new != old
    assert client.get(f"/confirm/{old}/").status_code == 404
    assert client.get(f"/confirm/{new}/").status_code == 200
    request.refresh_from_db()
    assert request.times_issued == 2
    # Only the hash is kept: neither code is in the row.
    stored = str(ConfirmationRequest.objects.filter(pk=request.pk).values().get())
    assert old not in stored and new not in stored


def test_the_sc_reissues_a_code_and_prints_its_new_sheet(
    client: Client, users: dict, itabashi: object
) -> None:
    salon = make_activity("高島平ひだまりサロン")
    request, old = make_request(salon)
    client.force_login(users["sc"])
    response = client.post(f"/staff/confirm/requests/{request.pk}/reissue/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    anonymous = Client()
    assert anonymous.get(f"/confirm/{old}/").status_code == 404
    # Whoever may not edit the region may not reissue its codes.
    client.force_login(users["member"])
    assert client.post(f"/staff/confirm/requests/{request.pk}/reissue/").status_code == 403
    client.force_login(users["other_sc"])
    assert client.post(f"/staff/confirm/requests/{request.pk}/reissue/").status_code == 404


def test_a_typed_code_leads_to_its_page(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    _request, code = make_request(salon)
    typed = confirm.shown(code).lower().replace("-", " ー ")
    response = client.post("/confirm/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/confirm/{code}/"


def test_a_wrong_typed_code_says_so_next_to_the_field(client: Client, itabashi: object) -> None:
    page = client.post("/confirm/", {"code": "ABCDE-23456"})
    assert page.status_code == 200
    assert "このコードは見つかりません" in page.content.decode()
    page = client.post("/confirm/", {"code": "ABC"})
    assert "英字と数字の10文字" in page.content.decode()


def test_a_code_answers_on_its_own_municipality_site_only(itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    _request, code = make_request(salon)
    other = Client(HTTP_HOST=OTHER_HOST)
    assert other.get(f"/confirm/{code}/").status_code == 404


def test_guessing_is_stopped_after_twenty_misses(client: Client, itabashi: object) -> None:
    salon = make_activity("高島平ひだまりサロン")
    _request, code = make_request(salon)
    for n in range(20):
        assert client.get(f"/confirm/WRONG{n:05d}/").status_code == 404
    page = client.get(f"/confirm/{code}/")
    assert page.status_code == 429
    assert "しばらくお待ちください" in page.content.decode()
    assert client.post("/confirm/", {"code": code}).status_code == 429
