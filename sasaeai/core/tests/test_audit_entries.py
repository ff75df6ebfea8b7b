import pytest
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.audit.models import AuditEntry
from sasaeai.test import area, make_user

pytestmark = pytest.mark.django_db
URL = "/staff/audit/"


def test_admin_sees_entries_of_their_municipality_only(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    response = client.get(URL)
    assert "作成" in response.content.decode()
    codes = {e.municipality_code for e in response.context["page"]}
    assert codes == {"131199"}
    assert AuditEntry.objects.filter(municipality_code="999991").exists()


def test_filter_by_user_area_and_date(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    make_user("found@example.jp", Role.COUNCIL_MEMBER, "narimasu")
    response = client.get(URL, {"area": str(area("narimasu").pk), "action": "create"})
    entries = list(response.context["page"])
    assert {e.model for e in entries} == {"areas.Area", "accounts.Membership"}
    assert all(e.area_path.endswith("/narimasu") and e.action == "create" for e in entries)
    response = client.get(URL, {"user": "nobody-like-this"})
    assert response.context["page"].paginator.count == 0
    response = client.get(URL, {"since": "2000-01-01", "until": "2099-01-01"})
    assert response.context["page"].paginator.count > 0


def test_bad_filter_is_explained_and_shows_nothing(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    response = client.get(URL, {"since": "2026-12-01", "until": "2026-01-01"})
    assert "終了日は開始日より後の日付にしてください" in response.content.decode()
    assert response.context["page"].paginator.count == 0
    response = client.get(URL, {"since": "not-a-date"})
    assert "日付を正しく入力してください" in response.content.decode()


def test_foreign_area_filter_is_refused(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    response = client.get(URL, {"area": str(area("kita-jhs").pk)})
    assert "正しく選択してください" in response.content.decode()


def test_other_roles_get_403_and_anonymous_sign_in(client: Client, users: dict) -> None:
    for who in ("ward", "sc", "member"):
        client.force_login(users[who])
        assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_post_is_405(client: Client, users: dict) -> None:
    client.force_login(users["admin"])
    assert client.post(URL).status_code == 405
