"""An organiser's page behind the secret link: the message and their region's list; leaving
the network; expiry, other municipalities, guessing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory import network
from sasaeai.directory.models import LeftHow, NetworkRecipient
from sasaeai.test import OTHER_HOST

from .network_builders import make_member

pytestmark = pytest.mark.django_db
BODY = "次の連絡会は5月20日です。"


@pytest.fixture
def sent(users: dict[str, Any]) -> dict[str, NetworkRecipient]:
    hanako = make_member("高島平サロン", contact_name="山田 花子", contact_email="h@example.jp")
    jiro = make_member("見守りの会", contact_name="田中 次郎", contact_phone="03-2222-3333")
    make_member("体操の会", contact_name="鈴木 三郎")  # in the network, not written to
    make_member("徳丸体操", "tokumaru", contact_name="佐藤 四郎")
    region = network.region_for(hanako.activity)
    assert region is not None
    message = network.send(region, BODY, [hanako, jiro], users["sc"]).message
    return {
        r.member.activity.name: r for r in message.recipients.select_related("member__activity")
    }


def test_the_link_shows_the_message_and_the_region_list(
    client: Client, users: dict[str, Any], sent: dict[str, NetworkRecipient]
) -> None:
    recipient = sent["高島平サロン"]
    response = client.get(f"/network/{recipient.token}/")
    page = response.content.decode()
    assert response.status_code == 200 and BODY in page
    for name in ("山田 花子", "田中 次郎", "03-2222-3333", "鈴木 三郎"):
        assert name in page
    assert "佐藤 四郎" not in page  # another region
    assert 'name="robots" content="noindex' in page and "ネットワークから外れる" in page
    assert "no-cache" in response["Cache-Control"]
    recipient.refresh_from_db()
    assert recipient.opened_at is not None
    client.force_login(users["sc"])
    staff = client.get(f"/staff/network/messages/{recipient.message_id}/").content.decode()
    assert "見ました" in staff


def test_leaving_by_the_button(client: Client, sent: dict[str, NetworkRecipient]) -> None:
    hanako, jiro = sent["高島平サロン"], sent["見守りの会"]
    page = client.get(f"/network/{hanako.token}/leave/").content.decode()
    assert "名簿から、あなたの活動の連絡先を外します" in page
    response = client.post(f"/network/{hanako.token}/leave/")
    assert response["Location"] == f"/network/{hanako.token}/"
    page = client.get(response["Location"]).content.decode()
    assert "ネットワークから外れました" in page and "田中 次郎" not in page
    hanako.member.refresh_from_db()
    assert hanako.member.left_how == LeftHow.ORGANISER and hanako.member.left_recorded_by is None
    assert "山田 花子" not in client.get(f"/network/{jiro.token}/").content.decode()


def test_an_organiser_taken_out_sees_no_list(
    client: Client, users: dict[str, Any], sent: dict[str, NetworkRecipient]
) -> None:
    network.leave(sent["高島平サロン"].member, by=users["sc"])
    page = client.get(f"/network/{sent['高島平サロン'].token}/").content.decode()
    assert (
        BODY in page
        and "田中 次郎" not in page
        and "いまは、ネットワークに参加していません" in page
    )


def test_an_expired_link(client: Client, sent: dict[str, NetworkRecipient]) -> None:
    recipient = sent["高島平サロン"]
    NetworkRecipient.objects.filter(pk=recipient.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(f"/network/{recipient.token}/")
    page = response.content.decode()
    assert response.status_code == 410 and "期限が過ぎました" in page and BODY not in page
    assert "田中 次郎" not in page
    assert client.post(f"/network/{recipient.token}/leave/").status_code == 410
    recipient.member.refresh_from_db()
    assert recipient.member.left_at is None


def test_only_on_its_own_municipality_site(
    client: Client, sent: dict[str, NetworkRecipient]
) -> None:
    token = sent["高島平サロン"].token
    response = Client(HTTP_HOST=OTHER_HOST).get(f"/network/{token}/")
    assert response.status_code == 404 and "田中 次郎" not in response.content.decode()


def test_guessing_is_stopped(client: Client, sent: dict[str, NetworkRecipient]) -> None:
    for number in range(20):
        assert client.get(f"/network/guess-{number}/").status_code == 404
    response = client.get(f"/network/{sent['高島平サロン'].token}/")
    assert response.status_code == 429 and "田中 次郎" not in response.content.decode()
