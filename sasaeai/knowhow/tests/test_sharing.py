"""Sharing cases and questions beyond the municipality (issue 27): not shared until the ward
approves; refused with a reason; approved, read by the other municipality's staff with only
the municipality's and the region's names; withdrawn, gone everywhere at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import Role, User
from sasaeai.test import make_user

from .. import sharing_services
from ..models import AskedQuestion, Audience, Case, CasePhoto, CaseStatus, ShareState
from ..services import VoiceText
from .builders import make_answer, make_case, make_question

pytestmark = pytest.mark.django_db

OTHERS = "/staff/knowhow/shared/"
REQUESTS = "/staff/knowhow/shared/requests/"


@pytest.fixture
def town_b(users: dict[str, User]) -> dict[str, User]:
    """Staff and a council member of the other town (みどり町)."""
    return {
        "sc": make_user("b-sc@example.jp", Role.REGION_SC, "minami-jhs", display_name="緑 太郎"),
        "member": make_user("b-member@example.jp", Role.COUNCIL_MEMBER, "minami-jhs"),
        "admin": users["other_admin"],
    }


def _case(users: dict[str, User], **fields: Any) -> Case:
    voice = VoiceText(role="サロンの代表", words="笑顔が増えた", name="高島 花子",
                      name_consent=True)  # fmt: skip
    fields.setdefault("internal_note", "予算の内部事情")
    return make_case(by=users["sc"], title="団地の朝の体操で仲間が増えた",
                     status=CaseStatus.PUBLISHED, voices=(voice,), **fields)  # fmt: skip


def _post(client: Client, path: str, data: dict[str, str] | None = None) -> str:
    """POST, follow the redirect, the page's text."""
    response = client.post(path, data or {})
    assert response.status_code == 302, (path, response.status_code)
    return client.get(response["Location"]).content.decode()


def test_not_shared_until_the_ward_approves(
    client: Client, users: dict[str, User], town_b: dict[str, User]
) -> None:
    case = _case(users)
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "他の自治体にも共有を申請する" in page
    page = _post(client, f"/staff/knowhow/cases/{case.pk}/share/")
    assert "共有を申請しました" in page and "共有を申請中" in page
    # Asked, not approved: the other town sees nothing of it.
    client.force_login(town_b["sc"])
    assert "団地の朝の体操" not in client.get(OTHERS).content.decode()
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 404
    # The writer, a region SC, cannot approve their own request: that is the ward's.
    client.force_login(users["sc"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/share/approve/").status_code == 403
    assert client.get(REQUESTS).status_code == 403
    client.force_login(users["block"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/share/approve/").status_code == 403
    case.refresh_from_db()
    assert case.share_state == ShareState.ASKED
    # The ward sees it on its list (and the count on the know-how home), and approves.
    client.force_login(users["ward"])
    assert (
        'href="/staff/knowhow/shared/requests/"' in client.get("/staff/knowhow/").content.decode()
    )
    page = client.get(REQUESTS).content.decode()
    assert "団地の朝の体操で仲間が増えた" in page and "承認して共有する" in page
    assert "承認を待っているもの（1件）" in page
    page = _post(client, f"/staff/knowhow/cases/{case.pk}/share/approve/", {"back": "requests"})
    assert "承認しました" in page and "いま共有しているもの" in page
    case.refresh_from_db()
    assert case.share_state == ShareState.APPROVED and case.share_decided_by_name
    assert case.history.filter(note="他の自治体への共有を承認しました。").exists()


def test_the_other_town_reads_it_without_names_or_anything_internal(
    client: Client, users: dict[str, User], town_b: dict[str, User]
) -> None:
    from .builders import case_attachments

    case = _case(users)
    draft = make_case(by=users["sc"], title="下書き")
    photos = case_attachments(draft, case)  # a photo with consent on the published case
    shown = photos["public_case_photo"]
    hidden = CasePhoto.objects.get(pk=shown.pk)
    hidden.pk, hidden.internal, hidden.caption = None, True, "内部の写真"
    hidden.save()
    from ..services import comment

    comment(case, "確認のコメントです", by=users["ward"])
    sharing_services.ask(case, by=users["sc"])
    sharing_services.approve(case, by=users["ward"])
    client.force_login(town_b["sc"])
    listing = client.get(OTHERS).content.decode()
    assert "団地の朝の体操で仲間が増えた" in listing
    assert "板橋区" in listing and "高島平" in listing
    page = client.get(f"/staff/knowhow/shared/cases/{case.pk}/").content.decode()
    assert "団地の朝の体操で仲間が増えた" in page and "板橋区" in page and "高島平" in page
    assert "笑顔が増えた" in page and "サロンの代表" in page
    for never in ("高島 花子", "予算の内部事情", "内部の写真", str(users["sc"]), "確認のコメント"):
        assert never not in page, never
    shown_url = f"/staff/knowhow/shared/cases/{case.pk}/photos/{shown.pk}/{shown.file_name}"
    assert shown_url in page and client.get(shown_url).status_code == 200
    photo_url = f"/staff/knowhow/shared/cases/{case.pk}/photos/{hidden.pk}/{hidden.file_name}"
    assert client.get(photo_url).status_code == 404
    # Read-only: the rest of the case's pages and steps stay the other town's.
    for path in (f"/staff/knowhow/cases/{case.pk}/", f"/staff/knowhow/cases/{case.pk}/edit/"):
        assert client.get(path).status_code == 404, path
    for path in ("useful/", "share/withdraw/", "share/refuse/"):
        assert client.post(f"/staff/knowhow/cases/{case.pk}/{path}").status_code == 404, path
    # A council member of the other town: staff only (the issue: "staff of other municipalities").
    client.force_login(town_b["member"])
    assert client.get(OTHERS).status_code == 403
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 404


def test_withdrawal_hides_it_everywhere_at_once(
    client: Client, users: dict[str, User], town_b: dict[str, User]
) -> None:
    case = _case(users)
    sharing_services.ask(case, by=users["sc"])
    sharing_services.approve(case, by=users["ward"])
    client.force_login(town_b["admin"])
    assert "団地の朝の体操" in client.get(OTHERS + "?q=体操").content.decode()
    # The writer withdraws it.
    client.force_login(users["sc"])
    page = _post(client, f"/staff/knowhow/cases/{case.pk}/share/withdraw/")
    assert "共有をやめました" in page
    client.force_login(town_b["admin"])
    assert "団地の朝の体操" not in client.get(OTHERS).content.decode()
    assert "団地の朝の体操" not in client.get(OTHERS + "?q=体操").content.decode()
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 404
    # Shared again, then unpublished by its writer's edit: withdrawn as well.
    sharing_services.ask(case, by=users["sc"])
    sharing_services.approve(case, by=users["ward"])
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 200
    case.refresh_from_db()
    case.status = CaseStatus.DRAFT
    case.save(update_fields=["status"])
    case.refresh_from_db()
    assert case.share_state == ShareState.WITHDRAWN
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 404


def test_refused_with_a_reason_and_bad_input_changes_nothing(
    client: Client, users: dict[str, User]
) -> None:
    case = _case(users)
    draft = make_case(by=users["sc"], title="まだ下書き")
    client.force_login(users["sc"])
    # Only a published case can be shared.
    page = _post(client, f"/staff/knowhow/cases/{draft.pk}/share/")
    assert "公開中の事例だけ共有を申請できます" in page
    draft.refresh_from_db()
    assert draft.share_state == ShareState.NONE
    _post(client, f"/staff/knowhow/cases/{case.pk}/share/")
    client.force_login(users["ward"])
    page = _post(client, f"/staff/knowhow/cases/{case.pk}/share/refuse/", {"reason": "  "})
    assert "見送る理由を書いてください" in page
    case.refresh_from_db()
    assert case.share_state == ShareState.ASKED and case.share_refused_reason == ""
    page = _post(client, f"/staff/knowhow/cases/{case.pk}/share/refuse/", {"reason": "x" * 301})
    assert "300文字まで" in page
    _post(client, f"/staff/knowhow/cases/{case.pk}/share/refuse/",
          {"reason": "写真の同意を確かめてから"})  # fmt: skip
    case.refresh_from_db()
    assert case.share_state == ShareState.REFUSED
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "共有を見送り" in page and "写真の同意を確かめてから" in page
    assert "他の自治体にも共有を申請する" in page  # may ask again


def test_a_shared_question_and_its_answers(
    client: Client, users: dict[str, User], town_b: dict[str, User]
) -> None:
    question = make_question(users["sc"], "男性の参加者を増やすには？")
    case = _case(users)
    make_answer(question, users["other_sc"], "朝の将棋の会を開きました。", cases=(case,))
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert "他の自治体にも共有を申請する" in page
    _post(client, f"/staff/knowhow/questions/{question.pk}/share/")
    client.force_login(town_b["sc"])
    assert client.get(f"/staff/knowhow/shared/questions/{question.pk}/").status_code == 404
    client.force_login(users["ward"])
    _post(client, f"/staff/knowhow/questions/{question.pk}/share/approve/")
    client.force_login(town_b["sc"])
    assert "男性の参加者を増やすには" in client.get(OTHERS + "?q=男性").content.decode()
    page = client.get(f"/staff/knowhow/shared/questions/{question.pk}/").content.decode()
    assert "朝の将棋の会を開きました" in page and "板橋区" in page
    # No names: not the asker's, not the answerer's; the cited case is not shared: no link.
    assert str(users["sc"]) not in page and str(users["other_sc"]) not in page
    assert f"/shared/cases/{case.pk}/" not in page
    # At home the answerer is named (their own municipality).
    client.force_login(users["ward"])
    page = client.get(f"/staff/knowhow/shared/questions/{question.pk}/").content.decode()
    assert str(users["other_sc"]) in page
    # Hidden by the ward: no longer shared.
    sharing_services_hide(question, users["ward"])
    question.refresh_from_db()
    assert question.share_state == ShareState.WITHDRAWN
    client.force_login(town_b["sc"])
    assert client.get(f"/staff/knowhow/shared/questions/{question.pk}/").status_code == 404


def sharing_services_hide(question: AskedQuestion, by: User) -> None:
    from .. import questions_services

    questions_services.hide(question, "不適切", by=by)


def test_a_public_case_stays_public_and_others_need_a_sign_in(
    client: Client, users: dict[str, User]
) -> None:
    case = _case(users, audience=Audience.PUBLIC)
    assert client.get(OTHERS).status_code == 302  # to sign in
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 302
    client.force_login(users["member"])  # a council member of the same town: the preview
    assert client.get(f"/staff/knowhow/shared/cases/{case.pk}/").status_code == 200
    assert client.post(f"/staff/knowhow/cases/{case.pk}/share/").status_code == 403


def test_the_demo_shares_a_few(users: dict[str, User]) -> None:
    from ..demo_cases import SHARED
    from ..questions_demo import QUESTIONS, share_some

    make_user("ward@demo.sasaeai.jp", Role.WARD_STAFF, "131199")
    shared = make_case(by=users["sc"], title=SHARED[0] + "た", status=CaseStatus.PUBLISHED)
    kept = make_case(by=users["sc"], title="共有しない事例", status=CaseStatus.PUBLISHED)
    question = make_question(users["sc"], QUESTIONS[0][1])
    assert share_some(shared.municipality) == 2
    for item in (shared, kept, question):
        item.refresh_from_db()
    assert shared.is_shared and question.is_shared and not kept.is_shared
    assert share_some(shared.municipality) == 0  # once


def test_no_query_per_row_on_the_other_towns_page(
    client: Client, users: dict[str, User], town_b: dict[str, User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def share(count: int) -> None:
        for i in range(count):
            case = make_case(by=users["sc"], title=f"体操の事例{i}", status=CaseStatus.PUBLISHED)
            sharing_services.approve(sharing_services.ask(case, by=users["sc"]), by=users["ward"])

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    client.force_login(town_b["sc"])
    share(3)
    client.get(OTHERS)
    few = queries(OTHERS), queries(OTHERS + "?q=体操")
    share(12)
    assert (queries(OTHERS), queries(OTHERS + "?q=体操")) == few, few
