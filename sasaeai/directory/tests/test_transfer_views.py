"""The staff pages that import and export activity spreadsheets."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sasaeai.audit.models import Action, AuditEntry
from sasaeai.directory import transfer
from sasaeai.directory.models import Activity, Status
from sasaeai.directory.tests.test_transfer import file_of, make_activity, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client: Client, rows: list[dict[str, str]], encoding: str = "utf-8") -> Any:
    name = "活動.xlsx" if encoding == "xlsx" else "活動.csv"
    data = SimpleUploadedFile(name, file_of(rows, encoding))
    return client.post(reverse("transfer:upload"), {"file": data})


def commit(client: Client, response: Any, mode: str) -> Any:
    token = response.context["token"]
    return client.post(reverse("transfer:commit"), {"token": token, "mode": mode})


def staged(media: Path) -> list[Path]:
    return list((media / "imports").glob("*")) if (media / "imports").exists() else []


def test_upload_page_offers_templates_and_export(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    text = client.get(reverse("transfer:upload")).content.decode()
    assert "内容を確認する" in text and "template/?format=cp932" in text
    assert "高島平" in text and "成増" not in text  # export areas are the user's own


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "xlsx"])
def test_dry_run_shows_each_row_and_writes_nothing(
    client: Client, users: dict, media: Path, encoding: str
) -> None:
    client.force_login(users["sc"])
    entries = AuditEntry.objects.count()
    response = upload(client, [row(活動名="A"), row(活動名="B", 地域コード="narimasu")], encoding)
    text = response.content.decode()
    assert response.status_code == 200
    assert "2 行目" in text and "3 行目" in text and "この地域は担当外です" in text
    assert "状態を変える権限" not in text  # one reason for a foreign area is enough
    assert "問題のない 1 行だけ登録する" in text
    assert not Activity.objects.exists() and AuditEntry.objects.count() == entries
    assert len(staged(media)) == 1


def test_commit_good_rows_only(client: Client, users: dict, media: Path) -> None:
    client.force_login(users["sc"])
    dry = upload(client, [row(活動名="A"), row(活動名="B", 地域コード="kita-jhs"), row(活動名="C")])
    assert "この自治体にない地域コードです" in dry.content.decode()
    response = commit(client, dry, "good")
    text = response.content.decode()
    assert "2 件を新しく登録し、0 件を更新しました" in text and "4 行目" in text
    assert sorted(Activity.objects.values_list("name", flat=True)) == ["A", "C"]
    assert staged(media) == []
    # The same file cannot be committed twice.
    again = commit(client, dry, "good")
    assert again.status_code == 302 and Activity.objects.count() == 2


def test_all_or_nothing_with_a_bad_row_writes_nothing(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    dry = upload(client, [row(活動名="A"), row(活動名="B", 無料="たぶん")])
    response = commit(client, dry, "all")
    assert "問題のある行があるため、何も取り込みませんでした" in response.content.decode()
    assert not Activity.objects.exists()
    # The file is still there: the person may now take the good rows only.
    assert commit(client, dry, "good").status_code == 200
    assert list(Activity.objects.values_list("name", flat=True)) == ["A"]


def test_a_file_without_good_rows_offers_no_commit(
    client: Client, users: dict, media: Path
) -> None:
    client.force_login(users["sc"])
    response = upload(client, [row(地域コード="narimasu")])
    text = response.content.decode()
    assert "取り込める行がありません" in text and "transfer/commit/" not in text
    assert staged(media) == []


def test_files_of_dry_runs_nobody_committed_are_deleted_after_a_day(
    client: Client, users: dict, media: Path
) -> None:
    (media / "imports").mkdir()
    stale, fresh = media / "imports" / "old.csv", media / "imports" / "new.csv"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    client.force_login(users["sc"])
    upload(client, [row()])
    assert not stale.exists() and fresh.exists() and len(staged(media)) == 2


def test_commit_needs_the_token_of_this_session(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    upload(client, [row()])
    response = client.post(reverse("transfer:commit"), {"token": "guessed", "mode": "good"})
    assert response.status_code == 302 and not Activity.objects.exists()
    other = Client()
    other.force_login(users["block"])
    dry = upload(other, [row()])
    client.post(reverse("transfer:commit"), {"token": dry.context["token"], "mode": "good"})
    assert not Activity.objects.exists()


def test_unreadable_file_is_reported_on_the_form(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = SimpleUploadedFile("a.csv", "活動名\nA\n".encode())
    response = client.post(reverse("transfer:upload"), {"file": data})
    assert response.status_code == 200 and "次の列がありません" in response.content.decode()
    assert client.post(reverse("transfer:upload"), {}).status_code == 200


def test_other_municipality_cannot_import_into_itabashi(client: Client, users: dict) -> None:
    client.force_login(users["other_admin"])
    response = upload(client, [row(種類=""), row(種類="", 地域コード="kita-jhs")])
    assert "この自治体にない地域コードです" in response.content.decode()
    commit(client, response, "good")
    assert list(Activity.objects.values_list("area__code", flat=True)) == ["kita-jhs"]


def test_council_member_gets_403_and_anonymous_is_sent_to_sign_in(
    client: Client, users: dict
) -> None:
    for name in ("upload", "template"):
        assert client.get(reverse(f"transfer:{name}"))["Location"].startswith("/accounts/login/")
    client.force_login(users["member"])
    assert client.get(reverse("transfer:upload")).status_code == 403
    assert upload(client, [row()]).status_code == 403
    assert client.post(reverse("transfer:commit"), {"token": "x"}).status_code == 403
    assert client.get(reverse("transfer:template")).status_code == 403
    assert not Activity.objects.exists()


def test_wrong_methods_get_405(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    assert client.put(reverse("transfer:upload")).status_code == 405
    assert client.get(reverse("transfer:commit")).status_code == 405
    assert client.post(reverse("transfer:export")).status_code == 405
    assert client.post(reverse("transfer:template")).status_code == 405


def export(client: Client, **query: str) -> Any:
    return client.get(reverse("transfer:export"), query)


def names_in(content: bytes) -> list[str]:
    return [r.values["活動名"] for r in transfer.read_file(content)]


def test_export_holds_only_what_the_user_may_see(client: Client, users: dict) -> None:
    make_activity(name="高島平の体操")
    make_activity("narimasu", name="成増の体操")
    make_activity("kita-jhs", name="みどり町の体操")
    client.force_login(users["sc"])
    assert names_in(export(client).content) == ["高島平の体操"]
    client.force_login(users["block"])
    assert sorted(names_in(export(client, format="csv").content)) == ["成増の体操", "高島平の体操"]
    assert names_in(export(client, area="narimasu").content) == ["成増の体操"]
    client.force_login(users["member"])  # council members may view, so they may export
    assert names_in(export(client, format="cp932").content) == ["高島平の体操"]
    assert AuditEntry.objects.filter(action=Action.READ, detail__contains="export").count() == 4


def test_export_formats_and_filters(client: Client, users: dict) -> None:
    make_activity(name="休止中の会", status=Status.PAUSED)
    make_activity(name="下書きの会")
    client.force_login(users["sc"])
    xlsx = export(client, status="paused")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    assert names_in(xlsx.content) == ["休止中の会"]
    csv = export(client, format="csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and "charset=utf-8" in csv["Content-Type"]
    cp932 = export(client, format="cp932")
    assert "下書きの会".encode("cp932") in cp932.content


def test_export_refuses_foreign_areas_and_bad_formats(client: Client, users: dict) -> None:
    make_activity("kita-jhs", name="みどり町の体操")
    client.force_login(users["sc"])
    assert export(client, area="kita-jhs").status_code == 400
    assert export(client, area="narimasu").status_code == 400
    assert export(client, format="pdf").status_code == 400
    client.force_login(users["institution"])
    assert export(client).status_code == 403
    client.logout()
    assert export(client)["Location"].startswith("/accounts/login/")


def test_exported_file_imports_back_unchanged(client: Client, users: dict) -> None:
    activity = make_activity(name="体操の会", fee="100円")
    other = make_activity(name="お茶の会")
    client.force_login(users["sc"])
    rows = transfer.read_file(export(client, format="cp932").content)
    rows[1].values["参加費"] = "200円"
    edited = transfer.write([[r.values[c] for c in transfer.COLUMNS] for r in rows], "cp932")
    dry = client.post(reverse("transfer:upload"), {"file": SimpleUploadedFile("a.csv", edited)})
    text = dry.content.decode()
    assert f"変更なし（id {activity.pk}）" in text and f"更新（id {other.pk}）" in text
    assert "0 件を新しく登録し、1 件を更新しました" in commit(client, dry, "all").content.decode()
    other.refresh_from_db()
    assert other.fee == "200円"


def test_template_downloads_have_the_header_only(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    xlsx = client.get(reverse("transfer:template"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == transfer.COLUMNS and sheet.max_row == 1
    csv = client.get(reverse("transfer:template"), {"format": "cp932"})
    assert csv.content.decode("cp932").strip() == ",".join(transfer.COLUMNS)
    assert client.get(reverse("transfer:template"), {"format": "doc"}).status_code == 400
