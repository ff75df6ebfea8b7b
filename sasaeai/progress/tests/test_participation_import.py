"""The participants of a 年度 from a table: the template lists the area's activities with what is
stored, a dry run shows each row, the commit writes from the staged file and the participants
page shows the numbers; a bad row (an activity unknown, another region's or another
municipality's, a negative or non-numeric count, parts over the total, a month outside the
年度), a file that cannot be read or a closed 年度 gives its reason in Japanese and writes
nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.directory.models import Activity, Status
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.spreadsheets import CP932_BACK
from sasaeai.progress.models import Participation, YearClosure
from sasaeai.test import area

pytestmark = pytest.mark.django_db
BASE = "/staff/progress/takashimadaira/participants/"
UPLOAD = f"{BASE}import/?year=2026"
COMMIT = f"{BASE}import/commit/?year=2026"
HEADER = (
    "id,地域,活動名,基準の月,参加者実人数,うち男性,うち女性,"
    "うち65〜74歳,うち75歳以上,1回あたり人数\n"
)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv(text: str, encoding: str = "utf-8-sig", name: str = "participants.csv") -> Any:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, "no commit form"
    return found.group(1)


@pytest.fixture
def salons(itabashi: Any) -> list[Activity]:
    return [make_activity("いきいきサロン"), make_activity("体操の会")]


def test_a_dry_run_then_the_commit_writes_and_the_page_shows_them(
    users: dict, salons: list[Activity]
) -> None:
    salon, exercise = salons
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-02,25,5,18,9,14,16\n"
        f',,体操の会,2027/2,"1,200",,,,,\n'  # by name; a comma in the number
    )
    client = signed_in(users["sc"])
    response = client.post(UPLOAD, {"file": csv(table)})
    page = response.content.decode()
    assert response.status_code == 200 and "取り込みの確認結果" in page
    assert "登録すると: 新しく 2 件、書き直し 0 件" in page and "1,200 人" in page
    assert not Participation.objects.exists()  # a dry run writes nothing
    response = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert response.status_code == 200 and "取り込みの結果" in response.content.decode()
    stored = {p.activity_id: p for p in Participation.objects.all()}
    assert (stored[salon.pk].participants, stored[salon.pk].women) == (25, 18)
    assert stored[exercise.pk].participants == 1200 and stored[exercise.pk].men is None
    assert {p.month for p in stored.values()} == {dt.date(2027, 2, 1)}
    assert {p.entered_by for p in stored.values()} == {users["sc"]}
    created = AuditEntry.objects.filter(model="progress.Participation", action="create")
    assert created.count() == 2
    entry = client.get(f"{BASE}?year=2026").content.decode()
    assert 'value="25"' in entry and 'value="1200"' in entry
    assert '<option value="2027-02" selected>' in entry
    # The staged file is gone: committing again finds nothing.
    again = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert again.status_code == 302 and again["Location"] == UPLOAD


def test_an_update_changes_only_what_differs(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    for activity, people in ((salon, 20), (exercise, 7)):
        Participation.objects.create(
            activity=activity, fiscal_year=2026, month=dt.date(2027, 3, 1), participants=people
        )
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-03,21,,,,,\n"
        f"{exercise.pk},高島平,体操の会,,,,,,,\n"  # empty counts: left as it is
    )
    client = signed_in(users["sc"])
    page = client.post(UPLOAD, {"file": csv(table)}).content.decode()
    assert "今は 20 人（2027年3月）" in page
    assert "空欄の行は消しません" in page
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert dict(Participation.objects.values_list("activity_id", "participants")) == {
        salon.pk: 21,
        exercise.pk: 7,
    }
    updates = AuditEntry.objects.filter(model="progress.Participation", action="update")
    assert updates.count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_the_template_reads_back_unchanged(users: dict, salons: list[Activity], fmt: str) -> None:
    salon, exercise = salons
    odd = make_activity("〜健康マージャン〜𠮷の会")  # a wave dash, and a character cp932 lacks
    make_activity("去年までの茶話会", status=Status.ENDED)  # not listed: ended, no figures
    Participation.objects.create(
        activity=salon, fiscal_year=2026, month=dt.date(2027, 1, 1), participants=30, men=4,
        women=26, per_session=12,
    )  # fmt: skip
    client = signed_in(users["sc"])
    response = client.get(f"{BASE}template/?year=2026&format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="participants-')
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        lines = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
        assert lines[0][:4] == ["id", "地域", "活動名", "基準の月"]
        assert [salon.pk, "高島平", "いきいきサロン", "2027-01", 30, 4, 26, "", "", 12] in lines
    else:
        text = response.content.decode("cp932" if fmt == "cp932" else "utf-8-sig")
        text = text.translate(CP932_BACK)  # ～ as cp932 writes 〜
        assert text.splitlines()[0] + "\n" == HEADER
        assert f"{salon.pk},高島平,いきいきサロン,2027-01,30,4,26,,,12" in text
        assert f"{exercise.pk},高島平,体操の会,2027-01,,,,,," in text  # the region's month
    upload = SimpleUploadedFile(f"template.{'xlsx' if fmt == 'xlsx' else 'csv'}", response.content)
    page = client.post(UPLOAD, {"file": upload}).content.decode()
    assert "問題のある行" not in page
    assert "登録すると: 新しく 0 件、書き直し 0 件" in page
    assert "今のまま変わらない活動: 3 件" in page and odd.name in page
    audited = AuditEntry.objects.filter(model="progress.Participation").count()
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert list(Participation.objects.values_list("activity_id", "participants")) == [
        (salon.pk, 30)
    ]
    assert AuditEntry.objects.filter(model="progress.Participation").count() == audited


def test_bad_rows_each_say_why_and_nothing_is_written(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    third = make_activity("囲碁の会")
    fourth = make_activity("見守り訪問")
    fifth = make_activity("歌声喫茶")
    sixth = make_activity("ラジオ体操")
    elsewhere = make_activity("南の体操", "minami-jhs")  # another municipality's
    ended = make_activity("去年までの茶話会", status=Status.ENDED)
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-03,-4,,,,,\n"
        f"{exercise.pk},高島平,体操の会,2027-03,たくさん,,,,,\n"
        f"{third.pk},高島平,囲碁の会,2027-03,10,6,5,,,\n"
        f"{fourth.pk},高島平,見守り訪問,2027-04,3,,,,,\n"
        f"{fifth.pk},高島平,歌声喫茶,2027-03,,2,,,,\n"
        f"{salon.pk},高島平,いきいきサロン,2027-03,5,,,,,\n"
        f"{elsewhere.pk},,南の体操,2027-03,5,,,,,\n"
        "99999,,ない活動,2027-03,5,,,,,\n"
        "123456789012345678901234567890,,ない活動,2027-03,5,,,,,\n"  # no id is that big
        f"{third.pk},高島平,体操の会,2027-03,5,,,,,\n"
        ",,どこにもない会,来月,5,,,,,\n"
        f"{ended.pk},高島平,去年までの茶話会,2027-03,5,,,,,\n"
        f"{sixth.pk},徳丸,ラジオ体操,2027-03,5,,,,,\n"  # the row slipped?
    )
    response = signed_in(users["sc"]).post(UPLOAD, {"file": csv(table)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "問題のある行が 13 行あります。1行でも問題があると、何も登録しません。" in page
    for said in (
        "参加者実人数: 0 以上の数を書いてください（負の数は書けません）。",
        "参加者実人数: 数字で書いてください（例: 12）。",
        "男性と女性の合計（11 人）が参加者実人数（10 人）を超えています。",
        "基準の月: 2026年4月から2027年3月までの月にしてください（この年度の月）。",
        "参加者実人数を書いてください（内訳だけでは保存できません）。",
        "id: 同じ活動が 2 行目にもあります。",
        f"id: この番号（{elsewhere.pk}）の活動は見つかりません。",
        "id: この番号（99999）の活動は見つかりません。",
        "id: この番号（123456789012345678901234567890）の活動は見つかりません。",
        f"活動名: id {third.pk} の活動は「囲碁の会」です。",
        "活動名: 「どこにもない会」という活動は高島平にありません。",
        "id: 終わった活動のため、数を入れられません。",
        "基準の月: 2027-03 のように、年と月を書いてください。",
        "地域: この活動の地域は「高島平」です。",
    ):
        assert said in page, said
    assert 'name="token"' not in page  # nothing to commit
    assert not Participation.objects.exists()


def test_another_regions_activity_is_refused(users: dict, salons: list[Activity]) -> None:
    salon = salons[0]
    theirs = make_activity("徳丸の体操", "tokumaru")
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-03,12,,,,,\n"
        f"{theirs.pk},徳丸,徳丸の体操,2027-03,8,,,,,\n"
    )
    sc_page = signed_in(users["sc"]).post(UPLOAD, {"file": csv(table)}).content.decode()
    assert f"この番号（{theirs.pk}）の活動は見つかりません。" in sc_page  # the SC does not see it
    # The block sees it, and is told where it belongs.
    block_page = signed_in(users["block"]).post(UPLOAD, {"file": csv(table)}).content.decode()
    assert "この活動は高島平の活動ではありません（徳丸の活動です）。" in block_page
    assert 'name="token"' not in sc_page + block_page
    assert not Participation.objects.exists()


def test_rows_of_one_region_share_a_month(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,3月,12,,,,,\n"  # the month alone: March 2027
        f"{exercise.pk},高島平,体操の会,2027-02-01,8,,,,,\n"
    )
    page = signed_in(users["sc"]).post(UPLOAD, {"file": csv(table)}).content.decode()
    assert "同じ地域（高島平）の 2 行目と月が違います（2027-03）。" in page
    assert not Participation.objects.exists()


def test_a_block_imports_its_regions_at_once(users: dict, salons: list[Activity]) -> None:
    salon = salons[0]
    theirs = make_activity("徳丸の体操", "tokumaru")
    far = make_activity("板橋の体操", "itabashi")
    template = signed_in(users["block"]).get(
        "/staff/progress/blk-akatsuka/participants/template/?year=2026&format=csv"
    )
    text = template.content.decode("utf-8-sig")
    assert "徳丸の体操" in text and "いきいきサロン" in text and "板橋の体操" not in text
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-03,12,,,,,\n"
        f"{theirs.pk},徳丸,徳丸の体操,2027-02,8,,,,,\n"  # another region, another month
        f"{far.pk},板橋,板橋の体操,2027-03,8,,,,,\n"
    )
    upload = "/staff/progress/blk-akatsuka/participants/import/?year=2026"
    client = signed_in(users["block"])
    page = client.post(upload, {"file": csv(table)}).content.decode()
    assert f"この番号（{far.pk}）の活動は見つかりません。" in page  # another block's: not seen
    without_far = "".join(table.splitlines(keepends=True)[:-1])
    page = client.post(upload, {"file": csv(without_far)}).content.decode()
    response = client.post(
        "/staff/progress/blk-akatsuka/participants/import/commit/?year=2026",
        {"token": token(page), "mode": "all"},
    )
    assert response.status_code == 200
    assert dict(Participation.objects.values_list("activity__name", "month")) == {
        "いきいきサロン": dt.date(2027, 3, 1),
        "徳丸の体操": dt.date(2027, 2, 1),
    }


def test_a_cp932_csv_and_an_xlsx_both_work(users: dict, salons: list[Activity]) -> None:
    salon, exercise = salons
    client = signed_in(users["sc"])
    table = HEADER.replace("\n", "\r\n") + f"{salon.pk},高島平,いきいきサロン,2027-03,9,,,,,\r\n"
    page = client.post(UPLOAD, {"file": csv(table, "cp932")}).content.decode()
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(","))
    sheet.append([exercise.pk, "高島平", "体操の会", dt.datetime(2027, 3, 1), 14.0, 6, 8])
    content = io.BytesIO()
    book.save(content)
    upload = SimpleUploadedFile("participants.xlsx", content.getvalue())
    page = client.post(UPLOAD, {"file": upload}).content.decode()
    client.post(COMMIT, {"token": token(page), "mode": "all"})
    stored = {p.activity_id: p for p in Participation.objects.all()}
    assert stored[salon.pk].participants == 9
    assert (stored[exercise.pk].participants, stored[exercise.pk].men) == (14, 6)
    assert stored[exercise.pk].month == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (HEADER.encode("utf-16"), "UTF-16 のファイルは読み込めません"),
        (bytes(range(128, 256)) * 8, "文字コードを判別できませんでした"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "見出し（1 行目）に次の列がありません"),
        (b"PK\x03\x04 not really a zip", "Excel ファイル（.xlsx）として読み込めませんでした"),
        ("活動,人数\nサロン,9\n".encode(), "次の列がありません: id、活動名、基準の月"),
        (HEADER.strip().encode() + ",備考\n".encode(), "知らない列があります: 備考"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_japanese(
    users: dict, salons: list[Activity], content: bytes, said: str
) -> None:
    upload = SimpleUploadedFile("participants.csv", content)
    response = signed_in(users["sc"]).post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not Participation.objects.exists()


def test_a_closed_year_is_refused_row_by_row(users: dict, salons: list[Activity]) -> None:
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    salon, exercise = salons
    table = HEADER + (
        f"{salon.pk},高島平,いきいきサロン,2027-03,12,,,,,\n"
        f"{exercise.pk},高島平,体操の会,2027-03,8,,,,,\n"
    )
    page = signed_in(users["sc"]).post(UPLOAD, {"file": csv(table)}).content.decode()
    assert page.count("2026年度（令和8年度）は締められているため、取り込めません。") == 2
    assert 'name="token"' not in page and not Participation.objects.exists()


def test_a_year_closed_between_the_dry_run_and_the_commit_writes_nothing(
    users: dict, salons: list[Activity]
) -> None:
    client = signed_in(users["sc"])
    table = HEADER + f"{salons[0].pk},高島平,いきいきサロン,2027-03,12,,,,,\n"
    page = client.post(UPLOAD, {"file": csv(table)}).content.decode()
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2026)
    response = client.post(COMMIT, {"token": token(page), "mode": "all"})
    assert response.status_code == 409
    assert "締められているため、取り込めません" in response.content.decode()
    assert not Participation.objects.exists()


def test_only_those_who_enter_the_participants_import_them(
    users: dict, salons: list[Activity]
) -> None:
    table = HEADER + f"{salons[0].pk},高島平,いきいきサロン,2027-03,12,,,,,\n"
    member = signed_in(users["member"])  # reads the page, enters nothing
    assert member.get(UPLOAD).status_code == 403
    assert member.post(UPLOAD, {"file": csv(table)}).status_code == 403
    assert member.get(f"{BASE}template/?year=2026").status_code == 403
    assert "Excelで入力する" not in member.get(f"{BASE}?year=2026").content.decode()
    for who in ("other_sc", "other_admin"):  # another region's SC, another municipality
        assert signed_in(users[who]).post(UPLOAD, {"file": csv(table)}).status_code == 404, who
    assert not Participation.objects.exists()
    page = signed_in(users["sc"]).get(f"{BASE}?year=2026").content.decode()
    assert f'href="{UPLOAD}"' in page.replace("&amp;", "&") and "Excelで入力する" in page
    ward = signed_in(users["ward"]).get(UPLOAD).content.decode()
    assert "板橋区のすべての地域を1つの表で入れる" in ward
    assert "赤塚ブロックのすべての地域を1つの表で入れる" in ward
    sc = signed_in(users["sc"]).get(UPLOAD).content.decode()
    assert "すべての地域を1つの表で入れる" not in sc
