"""A resident signs up for a local event without an account: a receipt number, the waiting
list when full, closed at the start, phone or mail required, the honeypot and rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from sasaeai.events import local_services
from sasaeai.events.models import RegistrationStatus, Signup

from .builders import make_local_event, make_signup

pytestmark = pytest.mark.django_db
FORM = {"name": "青木 花子", "phone": "03-1234-5678", "email": "", "people": "2", "website": ""}


def test_a_resident_signs_up_and_gets_a_receipt(client: Client, itabashi: object) -> None:
    event = make_local_event(title="いきいき体操 体験会", capacity=10, fee="無料")
    page = client.get(f"/events/local/{event.pk}/").content.decode()
    assert "いきいき体操 体験会" in page and "無料" in page and "あと 10人" in page
    response = client.post(f"/events/local/{event.pk}/", FORM, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/events/local/thanks/"
    assert "申込みを受け付けました" in page and "受付番号" in page
    assert f"{event.pk}-001" in page and "2人で申し込みました" in page
    signup = Signup.objects.get()
    assert (signup.name, signup.phone, signup.people) == ("青木 花子", "03-1234-5678", 2)
    assert signup.status == RegistrationStatus.REGISTERED
    assert "あと 8人" in client.get(f"/events/local/{event.pk}/").content.decode()


def test_a_full_event_puts_people_on_the_waiting_list_in_order(
    client: Client, itabashi: object
) -> None:
    event = make_local_event(capacity=3)
    make_signup(event, people=2)
    # Two more do not fit in the one seat left: they wait, and so does whoever comes next.
    response = client.post(f"/events/local/{event.pk}/", FORM, follow=True)
    page = response.content.decode()
    assert "キャンセル待ちで受け付けました" in page and "キャンセル待ち 1番目" in page
    one = make_signup(event, name="石川", people=1)
    assert one.status == RegistrationStatus.WAITING
    assert local_services.waiting_position(one) == 2
    page = client.get(f"/events/local/{event.pk}/").content.decode()
    assert "キャンセル待ちで申し込む" in page


def test_cancelling_a_signup_moves_waiters_up_in_order(itabashi: object) -> None:
    event = make_local_event(capacity=3)
    first = make_signup(event, people=3)
    big = make_signup(event, name="上田", people=2)
    small = make_signup(event, name="遠藤", people=1)
    moved = local_services.cancel_signup(first)
    assert [s.pk for s in moved] == [big.pk, small.pk]
    big.refresh_from_db()
    assert big.status == RegistrationStatus.REGISTERED and big.promoted_at is not None
    with pytest.raises(ValidationError):
        local_services.cancel_signup(first)


def test_the_queue_keeps_its_order(itabashi: object) -> None:
    """A party of three first in line is not overtaken by one person behind it."""
    event = make_local_event(capacity=2)
    first = make_signup(event, people=1)
    make_signup(event, people=1)
    three = make_signup(event, name="大野", people=3)
    one = make_signup(event, name="岡本", people=1)
    assert local_services.cancel_signup(first) == []
    three.refresh_from_db()
    one.refresh_from_db()
    assert three.status == one.status == RegistrationStatus.WAITING


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": ""}, "電話番号かメールアドレスのどちらかを書いてください"),
        ({"name": ""}, "ここを入れてください"),
        ({"phone": "電話してね"}, "電話番号は数字とハイフンで書いてください"),
        ({"phone": "", "email": "aoki@"}, "メールアドレスの形で書いてください"),
        ({"people": "99"}, "選びなおしてください"),
        ({"name": "<b>青木</b>"}, "タグ"),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(
    client: Client, itabashi: object, change: dict[str, str], message: str
) -> None:
    event = make_local_event()
    response = client.post(f"/events/local/{event.pk}/", {**FORM, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Signup.objects.exists()


def test_full_width_digits_and_a_mail_address_alone_are_fine(
    client: Client, itabashi: object
) -> None:
    event = make_local_event()
    client.post(f"/events/local/{event.pk}/", {**FORM, "phone": "０３－１２３４－５６７８"})
    client.post(f"/events/local/{event.pk}/", {**FORM, "phone": "", "email": "a@example.jp"})
    assert list(Signup.objects.values_list("phone", "email")) == [
        ("03-1234-5678", ""),
        ("", "a@example.jp"),
    ]


def test_the_honeypot_and_the_rate_limit_refuse_without_saving(
    client: Client, itabashi: object
) -> None:
    event = make_local_event()
    response = client.post(f"/events/local/{event.pk}/", {**FORM, "website": "http://spam"})
    assert "送信できませんでした" in response.content.decode()
    assert not Signup.objects.exists()
    for _ in range(5):
        client.post(f"/events/local/{event.pk}/", FORM)
    response = client.post(f"/events/local/{event.pk}/", FORM)
    assert response.status_code == 429 and "一時的に止めています" in response.content.decode()
    assert Signup.objects.count() == 5


def test_sign_up_closes_when_the_event_starts(client: Client, itabashi: object) -> None:
    started = make_local_event(starts_at=timezone.now() - dt.timedelta(minutes=5))
    response = client.post(f"/events/local/{started.pk}/", FORM)
    assert "申込みは締め切りました" in response.content.decode()
    assert not Signup.objects.exists()
    with pytest.raises(ValidationError, match="締め切りました"):
        make_signup(started)


def test_a_called_off_event_takes_no_signups(client: Client, itabashi: object) -> None:
    event = make_local_event()
    local_services.cancel_event(event, "雨のため")
    response = client.post(f"/events/local/{event.pk}/", FORM)
    page = response.content.decode()
    assert "中止になりました" in page and "雨のため" in page
    assert not Signup.objects.exists()


def test_drafts_and_other_towns_events_are_not_found(client: Client, itabashi: object) -> None:
    draft = make_local_event(published=False)
    other = make_local_event("minami-jhs")
    assert client.get(f"/events/local/{draft.pk}/").status_code == 404
    assert client.post(f"/events/local/{draft.pk}/", FORM).status_code == 404
    assert client.get(f"/events/local/{other.pk}/").status_code == 404
    assert (
        client.get(f"/events/local/{other.pk}/", HTTP_HOST="midori.example.jp").status_code == 200
    )
    assert not Signup.objects.exists()


def test_the_thanks_page_without_a_signup_leads_back_to_the_list(
    client: Client, itabashi: object
) -> None:
    response = client.get("/events/local/thanks/")
    assert response.status_code == 302 and response["Location"] == "/events/"
