"""A case's page: who reads a draft, who reads a published case, and what they see."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from ..models import CaseStatus
from ..services import VoiceText
from .builders import make_case

pytestmark = pytest.mark.django_db


def _get(client: Client, user: User, path: str) -> int:
    client.force_login(user)
    return client.get(path).status_code


def test_anonymous_is_sent_to_sign_in(client: Client, itabashi: object) -> None:
    case = make_case()
    response = client.get(f"/staff/knowhow/cases/{case.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_is_read_by_its_region_block_and_ward_only(
    client: Client, users: dict[str, User]
) -> None:
    case = make_case(by=users["sc"], title="下書きの事例")
    path = f"/staff/knowhow/cases/{case.pk}/"
    for who in ("sc", "block", "ward", "admin"):
        assert _get(client, users[who], path) == 200, who
    # Another region's SC, a council member (published cases only), another town: 404.
    for who in ("other_sc", "member", "other_admin", "institution"):
        assert _get(client, users[who], path) in (403, 404), who
    assert _get(client, users["other_sc"], path) == 404


def test_a_published_case_is_read_across_the_municipality(
    client: Client, users: dict[str, User]
) -> None:
    voice = VoiceText(
        role="サロンの代表", words="続けてよかった", name="板橋 花子", name_consent=True
    )
    case = make_case(
        by=users["sc"], status=CaseStatus.PUBLISHED, voices=(voice,), internal_note="内部の話"
    )
    path = f"/staff/knowhow/cases/{case.pk}/"
    for who in ("other_sc", "member", "block", "ward"):
        client.force_login(users[who])
        page = client.get(path).content.decode()
        assert "男性が集まる朝の体操" in page, who
        assert "板橋 花子" in page and "内部の話" in page  # staff pages: name with consent
    assert _get(client, users["other_admin"], path) == 404
    case.refresh_from_db()
    assert case.view_count == 4


def test_a_name_without_consent_is_never_kept(client: Client, users: dict[str, User]) -> None:
    voice = VoiceText(role="民生委員", words="助かりました", name="志村 一郎", name_consent=False)
    case = make_case(by=users["sc"], status=CaseStatus.PUBLISHED, voices=(voice,))
    client.force_login(users["ward"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "民生委員" in page and "志村 一郎" not in page
    assert case.voices.get().name == ""


def test_related_cases_share_tags(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], status=CaseStatus.PUBLISHED, title="買い物の送迎")
    make_case("itabashi", "買い物ツアー", by=users["ward"], status=CaseStatus.PUBLISHED)
    make_case("itabashi", "ほかの問いの事例", by=users["ward"], status=CaseStatus.PUBLISHED,
              questions=("spread",))  # fmt: skip
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    related = page.split("にている事例")[1]
    assert "買い物ツアー" in related and "ほかの問いの事例" not in related
