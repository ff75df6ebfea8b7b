"""A token's life, as its maker sees it on /staff/api-tokens/ and as a script meets it on the
API: made with a name, an expiry and scopes; its secret shown once and only its SHA-256
digest kept; wishes that cannot be granted refused with nothing written; revoked and expired
tokens and another municipality's refused with their own codes; each use stamped; making and
revoking in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.api import tokens
from sasaeai.api.models import Scope, Token
from sasaeai.audit.models import AuditEntry
from sasaeai.test import OTHER_HOST

PAGE = "/staff/api-tokens/"
REVOKE = "/staff/api-tokens/revoke/"
ME = "/api/staff/me/"
SECRET = re.compile(r'value="(sasaeai_[A-Za-z0-9_-]+)"')


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def wish(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": "活動一覧の取り込み",
        "expires_on": (today + dt.timedelta(days=90)).isoformat(),
        "scopes": [Scope.DIRECTORY_READ, Scope.NEEDS_READ],
        **changes,
    }


def made(user: User, **changes: Any) -> tokens.Made:
    data = wish(**changes)
    return tokens.make(user, data["name"], dt.date.fromisoformat(data["expires_on"]),
                       data["scopes"])  # fmt: skip


def call(secret: str, host: str = "testserver") -> Any:
    return Client(HTTP_HOST=host).get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_page_makes_a_token_and_shows_its_secret_once(users: dict[str, User]) -> None:
    client = signed_in(users["sc"])
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "まだトークンはありません。" in text
    assert "活動・場所・日程を見る" in text and "困りごとの状況を変える" in text  # scope labels
    default = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert f'value="{default}"' in text  # 90 days ahead, unless changed
    assert "Authorization: Bearer" in text and "/api/docs/" in text

    answer = client.post(PAGE, wish())
    assert answer.status_code == 200
    assert answer["Cache-Control"].startswith("max-age=0")
    assert "no-store" in answer["Cache-Control"]
    shown = answer.content.decode()
    found = SECRET.search(shown)
    assert found is not None
    secret = found.group(1)
    assert "二度と表示できません" in shown
    token = Token.objects.get()
    assert token.name == "活動一覧の取り込み"
    assert token.scopes == [Scope.DIRECTORY_READ, Scope.NEEDS_READ]
    assert token.expires_at.date() == dt.date.fromisoformat(default)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = Token.objects.filter(pk=token.pk).values().get()
    assert not [field for field, value in stored.items() if secret in str(value)]
    assert secret not in str(dict(client.session))

    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert token.prefix in again and "有効" in again and "まだ使われていません" in again
    assert call(secret).json()["token"] == "活動一覧の取り込み"


def test_each_use_is_stamped_and_shown(users: dict[str, User]) -> None:
    new = made(users["sc"])
    assert new.token.last_used_at is None
    assert call(new.secret).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None
    assert timezone.now() - new.token.last_used_at < dt.timedelta(minutes=1)
    page = signed_in(users["sc"]).get(PAGE).content.decode()
    assert "まだ使われていません" not in page
    assert timezone.localtime(new.token.last_used_at).strftime("%Y年%-m月%-d日") in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expires_on": "far"}, "有効期限は「2026-03-31」のような日付で入れてください。"),
        ({"expires_on": "past"}, "有効期限は明日以降の日にしてください。"),
        ({"expires_on": "today"}, "有効期限は明日以降の日にしてください。"),
        ({"expires_on": "366"}, "有効期限は1年後（"),
        ({"scopes": []}, "できることを1つ以上選んでください。"),
        ({"scopes": ["directory:admin"]}, "選べない項目が送られました。"),
        ({"name": "   "}, "名前を入れてください。"),
        ({"name": "x" * 101}, "100 文字以下"),
    ],
)
def test_a_wish_that_cannot_be_granted_is_refused_in_japanese_and_nothing_is_made(
    users: dict[str, User], changes: dict[str, Any], message: str
) -> None:
    today = timezone.localdate()
    days = {"past": -3, "today": 0, "366": 366}
    if changes.get("expires_on") in days:
        changes["expires_on"] = (today + dt.timedelta(days=days[changes["expires_on"]])).isoformat()
    client = signed_in(users["sc"])
    audited = AuditEntry.objects.count()
    answer = client.post(PAGE, wish(**changes))
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "入力内容を確認してください。まだ何も作っていません。" in text
    assert message in text
    assert not SECRET.search(text)
    assert Token.objects.count() == 0
    assert AuditEntry.objects.count() == audited


def test_the_service_refuses_the_same_wishes(users: dict[str, User]) -> None:
    today = timezone.localdate()
    wishes: list[tuple[dt.date, list[str]]] = [
        (today + dt.timedelta(days=366), [Scope.NEEDS_READ.value]),
        (today - dt.timedelta(days=1), [Scope.NEEDS_READ.value]),
        (today + dt.timedelta(days=30), []),
    ]
    for expires_on, scopes in wishes:
        with pytest.raises(tokens.Refused) as refused:
            tokens.make(users["sc"], "t", expires_on, scopes)
        assert refused.value.code == "invalid"
    assert tokens.make(users["sc"], "t", today + dt.timedelta(days=365), [Scope.NEEDS_READ.value])
    assert Token.objects.count() == 1


def test_without_mfa_no_token_is_made_and_the_page_says_why(users: dict[str, User]) -> None:
    member = users["member"]  # a council member signs in without a second step
    with pytest.raises(tokens.Refused) as refused:
        made(member)
    assert refused.value.code == "mfa_required"
    client = signed_in(member)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "二段階認証を設定すると作れます" in text
    assert 'href="/accounts/2fa/"' in text
    assert "トークンを作る</button>" not in text
    assert client.post(PAGE, wish()).status_code == 403
    assert Token.objects.count() == 0


def test_someone_without_a_role_cannot_make_one(itabashi: Any) -> None:
    from sasaeai.test import make_user

    nobody = make_user("nobody@example.jp")
    text = signed_in(nobody).get(PAGE).content.decode()
    assert "役割がある職員だけが作れます" in text
    assert signed_in(nobody).post(PAGE, wish()).status_code == 403
    assert Token.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(itabashi: Any) -> None:
    for method, path in (("get", PAGE), ("post", PAGE), ("post", REVOKE)):
        answer = getattr(Client(), method)(path)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/accounts/login/?next=")


def test_revoked_token_is_refused(users: dict[str, User]) -> None:
    new = made(users["sc"])
    client = signed_in(users["sc"])
    answer = client.post(REVOKE, {"token": new.token.pk}, follow=True)
    assert "「活動一覧の取り込み」を取り消しました。" in answer.content.decode()
    assert "取り消し済み" in answer.content.decode()
    refused = call(new.secret)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "token_revoked"
    assert refused.json()["detail"] == "このAPIトークンは取り消されています。"


def test_expired_token_is_refused(users: dict[str, User]) -> None:
    new = made(users["sc"])
    Token.objects.filter(pk=new.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    refused = call(new.secret)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_expired"
    assert "有効期限が切れています" in refused.json()["detail"]
    assert "期限切れ" in signed_in(users["sc"]).get(PAGE).content.decode()


def test_a_token_works_only_on_its_municipalitys_host(users: dict[str, User]) -> None:
    itabashi = made(users["sc"])
    other = made(users["other_admin"])
    assert call(other.secret, OTHER_HOST).status_code == 200
    for secret, host in ((itabashi.secret, OTHER_HOST), (other.secret, "testserver")):
        refused = call(secret, host)
        assert refused.status_code == 401
        assert refused.json()["code"] == "other_municipality"
        assert refused["WWW-Authenticate"].startswith("Bearer")


def test_each_person_sees_and_revokes_only_their_own_tokens(users: dict[str, User]) -> None:
    own = made(users["sc"], name="高島平の取り込み")
    theirs = made(users["other_sc"], name="板橋の取り込み")
    client = signed_in(users["sc"])
    page = client.get(PAGE).content.decode()
    assert "高島平の取り込み" in page and "板橋の取り込み" not in page
    for pk in (theirs.token.pk, 2**31 - 7):
        assert client.post(REVOKE, {"token": pk}).status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None
    assert call(theirs.secret).status_code == 200
    assert client.get(REVOKE).status_code == 405
    nothing = client.post(REVOKE, {}, follow=True)
    assert "取り消すトークンが選ばれていません。" in nothing.content.decode()
    own.token.refresh_from_db()
    assert own.token.revoked_at is None


def test_making_and_revoking_are_audited(users: dict[str, User]) -> None:
    client = signed_in(users["sc"])
    client.post(PAGE, wish())
    token = Token.objects.get()
    made_entry = AuditEntry.objects.get(model="api.Token", object_id=str(token.pk), action="create")
    assert made_entry.user == users["sc"]
    assert made_entry.area_path == token.municipality.path
    client.post(REVOKE, {"token": token.pk})
    revoked = AuditEntry.objects.get(model="api.Token", object_id=str(token.pk), action="update")
    assert revoked.changed_fields == ["revoked_at"]
    assert revoked.user == users["sc"]
    # A use stamps the token but is not a change to it.
    assert AuditEntry.objects.filter(model="api.Token").count() == 2
