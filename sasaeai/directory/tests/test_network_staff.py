"""The staff page of a region's organisers' network: who sees it, recording an organiser's
consent, taking one out, the index and the printed list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.directory.models import LeftHow, NetworkMember

from .builders import make_activity
from .network_builders import make_member

pytestmark = pytest.mark.django_db
PAGE = "/staff/network/takashimadaira/"


def test_the_sc_sees_the_list_with_phone_and_mail(client: Client, users: dict[str, Any]) -> None:
    make_member("高島平サロン", contact_name="山田 花子", contact_email="hanako@example.jp")
    make_member("徳丸体操", "tokumaru", contact_name="佐藤 一郎")
    client.force_login(users["sc"])
    page = client.get(PAGE).content.decode()
    assert "高島平サロン" in page and "山田 花子" in page and "03-1234-5678" in page
    assert "hanako@example.jp" in page
    assert "徳丸体操" not in page  # another region's network
    assert "参加を記録する" in page and "メッセージを送る" in page


def test_a_council_member_reads_but_records_nothing(client: Client, users: dict[str, Any]) -> None:
    make_member("高島平サロン")
    activity = make_activity("体操の会", contact_name="田中", contact_phone="03-0000-0000")
    client.force_login(users["member"])
    page = client.get(PAGE).content.decode()
    assert "高島平サロン" in page and "参加を記録する" not in page and "外す" not in page
    response = client.post(f"{PAGE}join/", {"activity": activity.pk, "checked_on": "2026-04-01",
                                            "agreed": "on"})  # fmt: skip
    assert response.status_code == 403
    assert not NetworkMember.objects.filter(activity=activity).exists()


def test_outsiders_get_404(client: Client, users: dict[str, Any]) -> None:
    member = make_member("高島平サロン")
    client.force_login(users["other_sc"])
    assert client.get(PAGE).status_code == 404
    assert client.get(f"{PAGE}print.pdf").status_code == 404
    assert client.post(f"/staff/network/members/{member.pk}/remove/").status_code == 404
    client.force_login(users["other_admin"])
    assert client.get(PAGE).status_code == 404
    assert NetworkMember.objects.active().count() == 1
    assert client.get("/staff/network/blk-akatsuka/").status_code == 404  # not a region


def test_recording_consent(client: Client, users: dict[str, Any]) -> None:
    activity = make_activity("体操の会", contact_name="田中 次郎", contact_phone="03-0000-0000")
    client.force_login(users["sc"])
    assert "体操の会（田中 次郎）" in client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}join/", {"activity": activity.pk, "checked_on": "2026-04-01",
                                            "agreed": "on"})  # fmt: skip
    assert response.status_code == 302
    member = NetworkMember.objects.get(activity=activity)
    assert member.recorded_by == users["sc"] and str(member.checked_on) == "2026-04-01"
    page = client.get(PAGE).content.decode()
    assert "「体操の会」の連絡先をネットワークに加えました" in page and "田中 次郎" in page
    assert AuditEntry.objects.filter(model="directory.NetworkMember", action="create").exists()


def test_consent_must_be_confirmed_and_reachable(client: Client, users: dict[str, Any]) -> None:
    activity = make_activity("体操の会", contact_name="田中", contact_phone="03-0000-0000")
    silent = make_activity("お茶飲み仲間")  # no contact recorded
    elsewhere = make_activity("徳丸の会", "tokumaru", contact_name="佐藤", contact_phone="03-1")
    client.force_login(users["sc"])
    page = client.post(f"{PAGE}join/", {"activity": activity.pk, "checked_on": "2026-04-01"})
    assert "主催者の同意を確かめてから記録してください" in page.content.decode()
    page = client.post(f"{PAGE}join/", {"activity": silent.pk, "checked_on": "2026-04-01",
                                        "agreed": "on"})  # fmt: skip
    assert "連絡先（担当者名と、電話かメール）が登録されていません" in page.content.decode()
    page = client.post(f"{PAGE}join/", {"activity": elsewhere.pk, "checked_on": "2026-04-01",
                                        "agreed": "on"})  # fmt: skip
    assert "選びなおしてください" in page.content.decode()
    page = client.post(f"{PAGE}join/", {"activity": activity.pk, "checked_on": "2999-01-01",
                                        "agreed": "on"})  # fmt: skip
    assert "まだ来ていない日は選べません" in page.content.decode()
    assert not NetworkMember.objects.exists()


def test_the_sc_takes_an_organiser_out_and_may_record_them_again(
    client: Client, users: dict[str, Any]
) -> None:
    member = make_member("高島平サロン", contact_name="山田 花子")
    client.force_login(users["sc"])
    response = client.post(f"/staff/network/members/{member.pk}/remove/")
    assert response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert (
        "ネットワークから外しました" in page and "山田 花子" not in page.split("参加を記録する")[0]
    )
    member.refresh_from_db()
    assert member.left_how == LeftHow.STAFF and member.left_recorded_by == users["sc"]
    client.post(f"{PAGE}join/", {"activity": member.activity.pk, "checked_on": "2026-05-01",
                                 "agreed": "on"})  # fmt: skip
    member.refresh_from_db()
    assert member.left_at is None and str(member.checked_on) == "2026-05-01"


def test_the_index_counts_each_region(client: Client, users: dict[str, Any]) -> None:
    make_member("高島平サロン")
    make_member("高島平体操")
    make_member("徳丸体操", "tokumaru")
    make_member("板橋の会", "itabashi")
    client.force_login(users["block"])
    page = client.get("/staff/network/").content.decode()
    assert "高島平" in page and "徳丸" in page and "2 件" in page
    assert ">板橋</a>" not in page  # another block's region
    assert "活動者ネットワーク" in page  # in the staff menu too


def test_the_printed_list(client: Client, users: dict[str, Any]) -> None:
    make_member("高島平サロン")
    client.force_login(users["sc"])
    response = client.get(f"{PAGE}print.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="read", detail__contains="network list").exists()


def test_a_contact_changed_after_consent_is_flagged(client: Client, users: dict[str, Any]) -> None:
    member = make_member("高島平サロン", contact_name="山田 花子")
    client.force_login(users["sc"])
    assert "確認のあとで連絡先が変わりました" not in client.get(PAGE).content.decode()
    activity = member.activity
    activity.contact_name = "山田 次郎"
    activity.save()
    page = client.get(PAGE).content.decode()
    assert "確認のあとで連絡先が変わりました" in page and "山田 次郎" in page
    client.post(f"{PAGE}join/", {"activity": activity.pk, "checked_on": "2026-05-01",
                                 "agreed": "on"})  # fmt: skip
    assert "確認のあとで連絡先が変わりました" not in client.get(PAGE).content.decode()
