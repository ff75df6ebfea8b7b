"""Reading, checking, importing and exporting activity spreadsheets (directory/transfer*.py,
directory/import_service.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import openpyxl
import pytest

from sasaeai.accounts.models import ROLE_CAPABILITIES, Capability, Role
from sasaeai.areas.models import Area
from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.audit.models import AuditEntry
from sasaeai.directory import import_service, transfer, transfer_check
from sasaeai.directory.models import Activity, Frequency, Kind, Schedule, Status, Visibility
from sasaeai.directory.services import ActivityParts, save_activity
from sasaeai.test import area

pytestmark = pytest.mark.django_db

ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "xlsx"]


def row(**values: str) -> dict[str, str]:
    """A good row for a new activity in 高島平, with `values` on top."""
    return {
        "地域コード": "takashimadaira",
        "活動名": "ひだまりサロン",
        "よみがな": "ひだまりさろん",
        "種類": "サロン、老人クラブ",
        "状態": "公開中",
        "無料": "はい",
        "定員": "20",
        "場所名": "高島平地域センター",
        "住所": "板橋区高島平3-12-28",
        "緯度": "35.789",
        "経度": "139.659",
        "日程": "毎週水曜 14:00〜16:00／毎月第2土曜 10:00〜12:00",
        "最終確認日": "2025-04-01",
        **values,
    }


def table(rows: list[dict[str, str]]) -> list[list[str]]:
    return [transfer.COLUMNS] + [[r.get(c, "") for c in transfer.COLUMNS] for r in rows]


def file_of(rows: list[dict[str, str]], encoding: str) -> bytes:
    """The rows as a user's file: CSV in `encoding`, or .xlsx."""
    if encoding == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for line in table(rows):
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows(table(rows))
    return text.getvalue().encode(encoding)


def run(
    municipality: Area, data: bytes, *, commit: bool = True, all_or_nothing: bool = False, **kw: Any
) -> transfer.ImportReport:
    rows = transfer.read_file(data, "activities.xlsx" if data[:2] == b"PK" else "activities.csv")
    return transfer.import_rows(
        municipality, rows, commit=commit, all_or_nothing=all_or_nothing, **kw
    )


def make_activity(code: str = "takashimadaira", **fields: Any) -> Activity:
    place = area(code)
    activity = Activity(area=place, name=fields.pop("name", "体操の会"), **fields)
    kinds = list(Kind.objects.of(place.municipality or place).filter(code="exercise"))
    parts = ActivityParts(kinds=kinds, organization_name="高島平体操クラブ")
    return save_activity(activity, parts)


def snapshot(activity: Activity) -> dict[str, Any]:
    """What an activity is, as far as a spreadsheet row can say."""
    activity.refresh_from_db()
    fields = {
        f.name: getattr(activity, f.name)
        for f in Activity._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"}
    }
    fields["kinds"] = sorted(k.code for k in activity.kinds.all())
    fields["places"] = list(
        activity.places.values("name", "postal_code", "address", "latitude", "longitude")
    )
    fields["schedules"] = [s.in_words() for s in activity.schedules.all()]
    return fields


# --- Schedules in words -------------------------------------------------------------------


def every_schedule() -> list[Schedule]:
    times = [(None, None), (dt.time(14), dt.time(16)), (dt.time(9, 30), None)]
    days = ["", "2", "0,3", "0,1,2,3,4,5,6"]
    schedules = []
    for (opens, closes), note in itertools.product(times, ["", "雨天中止（祝日は休み）／要予約"]):
        common = {"opens_at": opens, "closes_at": closes, "note": note}
        schedules += [Schedule(frequency=Frequency.WEEKLY, weekdays=d, **common) for d in days]
        schedules += [
            Schedule(frequency=Frequency.MONTHLY_NTH, weekdays=d, nth=n, **common)
            for d in days
            for n in (None, 1, 5)
        ]
        schedules += [
            Schedule(frequency=Frequency.MONTHLY_DATE, day_of_month=n, **common) for n in (1, 31)
        ]
        schedules.append(Schedule(frequency=Frequency.IRREGULAR, **common))
    return schedules


def fields_of(schedule: Schedule) -> dict[str, Any]:
    names = ["frequency", "weekdays", "nth", "day_of_month", "opens_at", "closes_at", "note"]
    return {name: getattr(schedule, name) for name in names}


@pytest.mark.parametrize("schedule", every_schedule(), ids=lambda s: s.in_words())
def test_parsing_is_the_exact_inverse_of_in_words(schedule: Schedule) -> None:
    parsed = transfer.parse_schedule(schedule.in_words())
    assert parsed == fields_of(schedule)
    assert Schedule(**parsed).in_words() == schedule.in_words()


def test_the_examples_of_the_issue_read_back() -> None:
    words = "毎週水曜 14:00〜16:00／毎週月・木曜 10:00〜12:00\n毎月第2水曜 13:30〜15:00"
    words += "／毎月15日 10:00〜／不定期（補足）"
    parsed = [Schedule(**s).in_words() for s in transfer.parse_schedules(words)]
    assert parsed == [
        "毎週水曜 14:00〜16:00",
        "毎週月・木曜 10:00〜12:00",
        "毎月第2水曜 13:30〜15:00",
        "毎月15日 10:00〜",
        "不定期（補足）",
    ]


def test_common_ways_of_writing_are_read_too() -> None:
    parsed = transfer.parse_schedule("毎月第１水曜日 9:30～11:00")
    assert Schedule(**parsed).in_words() == "毎月第1水曜 09:30〜11:00"
    assert Schedule(**transfer.parse_schedule("毎週金 10:00-12:00")).in_words() == (
        "毎週金曜 10:00〜12:00"
    )


@pytest.mark.parametrize("words", ["毎日", "毎週水曜 25:00〜", "毎月第6水曜", "毎月32日", "水曜"])
def test_words_that_are_no_schedule_are_refused_in_japanese(words: str) -> None:
    with pytest.raises(ValueError, match="日程として読めません"):
        transfer.parse_schedule(words)


# --- Importing ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_good_file_is_imported_in_every_encoding(users: dict, encoding: str) -> None:
    itabashi = area("131199")
    report = run(itabashi, file_of([row(活動名="ひだまりサロン〜高島平")], encoding))
    assert report.committed and report.created == 1 and not report.bad
    activity = Activity.objects.get(pk=report.rows[0].activity_id or 0)
    assert activity.area.code == "takashimadaira" and activity.status == Status.PUBLISHED
    assert activity.is_free and activity.capacity == 20
    assert activity.last_confirmed == dt.date(2025, 4, 1)
    assert activity.organization is None
    assert sorted(k.code for k in activity.kinds.all()) == ["salon", "seniors-club"]
    assert [s.in_words() for s in activity.schedules.all()] == [
        "毎週水曜 14:00〜16:00",
        "毎月第2土曜 10:00〜12:00",
    ]
    place = activity.places.get()
    assert (place.name, place.latitude, place.longitude) == ("高島平地域センター", 35.789, 139.659)
    assert activity.name == "ひだまりサロン〜高島平"  # cp932 too: its ～ is read back as 〜
    assert "さろん" in activity.search_text and activity.weekday_bits


BAD_ROWS = [
    ({"地域コード": "nowhere"}, "地域コード：この自治体にない地域コードです。"),
    ({"地域コード": "kita-jhs"}, "地域コード：この自治体にない地域コードです。"),
    ({"地域コード": "narimasu"}, "地域コード：この地域は担当外です。"),
    ({"地域コード": ""}, "地域コード：地域コードを書いてください。"),
    ({"活動名": ""}, "活動名："),
    ({"活動名": "あ" * 121}, "活動名："),
    ({"種類": "囲碁"}, "種類：「囲碁」という種類はありません。"),
    ({"状態": "公開"}, "状態：「公開」は使えません。"),
    ({"無料": "たぶん"}, "無料：「はい」か「いいえ」で書いてください。"),
    ({"定員": "十人"}, "定員：0 以上の整数で書いてください。"),
    ({"メール": "not-an-address"}, "メール："),
    ({"緯度": "北緯35度"}, "緯度：数で書いてください。"),
    ({"経度": ""}, "緯度：緯度と経度は、両方書くか両方空にしてください。"),
    ({"住所": ""}, "住所："),
    ({"日程": "毎日 10:00"}, "日程：「毎日 10:00」は日程として読めません。"),
    ({"最終確認日": "4月1日"}, "最終確認日：「4月1日」は日付として読めません。"),
    ({"id": "999999"}, "id：この id の活動は見つからないか、編集できません。"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_each_bad_row_is_reported_with_its_row_number_and_reason(
    users: dict, encoding: str
) -> None:
    rows = [row()] + [row(**values) for values, _reason in BAD_ROWS]
    before = Activity.objects.count()
    report = run(area("131199"), file_of(rows, encoding), commit=False, user=users["sc"])
    assert [r.number for r in report.bad] == list(range(3, 3 + len(BAD_ROWS)))
    for result, (_values, reason) in zip(report.bad, BAD_ROWS, strict=True):
        assert any(e.startswith(reason) for e in result.errors), (reason, result.errors)
    assert report.rows[0].ok and Activity.objects.count() == before


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_mixed_file_commits_the_good_rows_when_asked(users: dict, encoding: str) -> None:
    rows = [row(活動名="A"), row(活動名="B", 地域コード="narimasu"), row(活動名="C")]
    report = run(area("131199"), file_of(rows, encoding), user=users["sc"])
    assert report.committed and [r.number for r in report.bad] == [3]
    assert sorted(Activity.objects.values_list("name", flat=True)) == ["A", "C"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_all_or_nothing_with_one_bad_row_writes_nothing(users: dict, encoding: str) -> None:
    rows = [row(活動名="A"), row(活動名="B", 種類="囲碁"), row(活動名="C")]
    entries = AuditEntry.objects.count()
    report = run(area("131199"), file_of(rows, encoding), all_or_nothing=True)
    assert not report.committed and len(report.good) == 2
    assert not Activity.objects.exists() and AuditEntry.objects.count() == entries


def test_a_row_may_drop_kinds_and_schedules(users: dict) -> None:
    existing = make_activity()
    rows = [row(id=str(existing.pk), 種類="", 日程="")]
    assert run(area("131199"), file_of(rows, "utf-8")).updated == 1
    assert not existing.kinds.exists() and not existing.schedules.exists()


def test_dry_run_writes_nothing(users: dict) -> None:
    existing = make_activity()
    before = snapshot(existing)
    entries = AuditEntry.objects.count()
    rows = [row(), row(id=str(existing.pk), 活動名="新しい名前", 運営団体="新しい団体")]
    report = run(area("131199"), file_of(rows, "utf-8"), commit=False, user=users["sc"])
    assert not report.committed and report.created == 1 and report.updated == 1
    assert Activity.objects.count() == 1 and snapshot(existing) == before
    assert AuditEntry.objects.count() == entries


def test_a_row_with_an_id_updates_that_activity(users: dict) -> None:
    existing = make_activity()
    rows = [row(id=str(existing.pk), 活動名="体操の会（改）", 状態="", 無料="")]
    report = run(area("131199"), file_of(rows, "utf-8"), user=users["sc"])
    assert report.updated == 1 and Activity.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "体操の会（改）" and existing.organization is None
    # Blank choice cells leave the activity as it was.
    assert existing.status == Status.DRAFT and not existing.is_free


def test_activities_outside_the_users_areas_cannot_be_updated(users: dict) -> None:
    elsewhere = make_activity("narimasu")
    foreign = make_activity("kita-jhs")
    rows = [row(id=str(elsewhere.pk)), row(id=str(foreign.pk))]
    report = run(area("131199"), file_of(rows, "utf-8"), user=users["sc"])
    assert len(report.bad) == 2 and not report.committed
    assert all("見つからないか、編集できません" in r.errors[0] for r in report.bad)
    assert Activity.objects.get(pk=elsewhere.pk).area.code == "narimasu"


def test_changing_the_status_needs_the_publish_capability(
    users: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor_only = frozenset({Capability.VIEW, Capability.EDIT})
    monkeypatch.setitem(ROLE_CAPABILITIES, Role.REGION_SC, editor_only)
    rows = [row(状態="公開中"), row(状態="")]
    report = run(area("131199"), file_of(rows, "utf-8"), user=users["sc"])
    assert report.bad[0].errors == ["状態：この地域の活動の状態を変える権限がありません。"]
    assert Activity.objects.get().status == Status.DRAFT


def test_the_same_id_twice_is_a_bad_row(users: dict) -> None:
    existing = make_activity()
    rows = [row(id=str(existing.pk)), row(id=str(existing.pk))]
    report = run(area("131199"), file_of(rows, "utf-8"), commit=False)
    assert report.bad[0].number == 3 and "2 行目にもあります" in report.bad[0].errors[0]


def test_other_municipality_imports_only_into_its_own_areas(users: dict) -> None:
    rows = [row(地域コード="takashimadaira", 種類=""), row(地域コード="kita-1", 種類="")]
    report = run(area("999991"), file_of(rows, "utf-8"), user=users["other_admin"])
    assert [r.number for r in report.bad] == [2]
    assert Activity.objects.get().area == area("kita-1")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x81\x20\x81\x20", "文字コードを判別できませんでした"),
        ("活動名,地域コード\nA,B\n".encode(), "見出し（1 行目）に次の列がありません: id、よみがな"),
        (b"\n\n", "見出しの行がありません"),
        ("\ufeffid".encode("utf-16"), "UTF-16 のファイルは読み込めません"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "古い形式の Excel ファイル（.xls）は読めません"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(data: bytes, message: str) -> None:
    with pytest.raises(transfer.TransferError, match=message):
        transfer.read_file(data, "a.csv")


def test_broken_excel_file_is_refused() -> None:
    with pytest.raises(transfer.TransferError, match="Excel ファイル"):
        transfer.read_file(b"PK\x03\x04 not really a zip", "a.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8", "xlsx"])
def test_too_many_rows_are_refused(encoding: str) -> None:
    with pytest.raises(transfer.TransferError, match="2 行までです"):
        transfer.read_file(file_of([row(), row(), row()], encoding), max_rows=2)


# --- Exporting ------------------------------------------------------------------------------


def varied_activities() -> list[Activity]:
    first = make_activity(
        name='=HYPERLINK("http://example.com")',
        kana="-たいそう",
        description="1行目\n2行目「引用」, カンマ",
        status=Status.PUBLISHED,
        visibility=Visibility.STAFF,
        fee="100円",
        is_free=False,
        capacity=30,
        welcomes_newcomers=False,
        step_free=True,
        accessible_toilet=True,
        pick_up=True,
        contact_name="山田",
        contact_phone="03-1234-5678",
        contact_email="yamada@example.jp",
        contact_public=True,
        last_confirmed=dt.date(2025, 3, 31),
    )
    parts = ActivityParts(
        kinds=[*first.kinds.all(), Kind.objects.get(code="salon", municipality=first.municipality)],
        organization_name="高島平体操クラブ",
        places=[
            {
                "name": "集会所",
                "postal_code": "175-0082",
                "address": "高島平1-1",
                "latitude": 35.7,
                "longitude": 139.65,
            },
            {"name": "第二会場", "address": "高島平2-2"},
        ],
        schedules=[
            transfer.parse_schedule("毎週月・木曜 10:00〜12:00"),
            transfer.parse_schedule("毎月第3土曜（雨天中止）"),
        ],
    )
    save_activity(first, parts)
    second = make_activity("tokumaru", name="見守り隊", status=Status.PAUSED)
    return [first, second]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_an_export_re_imports_unchanged(users: dict, fmt: str) -> None:
    activities = varied_activities()
    before = [snapshot(a) for a in activities]
    data = transfer.write(transfer.export_rows(Activity.objects.all()), fmt)
    entries = AuditEntry.objects.count()
    report = run(area("131199"), data, user=users["ward"])
    assert not report.bad and report.unchanged == 2 and not report.created + report.updated
    assert [snapshot(a) for a in activities] == before
    assert AuditEntry.objects.count() == entries  # nothing to change, nothing written


def test_an_export_without_ids_makes_equal_copies(users: dict) -> None:
    original = varied_activities()[0]
    rows = transfer.read_file(transfer.write(transfer.export_rows(Activity.objects.all()), "csv"))
    for source in rows:
        source.values["id"] = ""
    report = transfer.import_rows(area("131199"), rows, commit=True, all_or_nothing=True)
    copy = Activity.objects.get(pk=report.rows[0].activity_id or 0)
    ignore = {"id", "search_text", "search_tokens"}
    expected = {k: v for k, v in snapshot(original).items() if k not in ignore}
    expected["places"] = expected["places"][:1]  # one place per row
    got = {k: v for k, v in snapshot(copy).items() if k not in ignore}
    assert got == expected


def test_csv_export_is_safe_to_open_in_excel(users: dict) -> None:
    varied_activities()
    data = transfer.write(transfer.export_rows(Activity.objects.all()), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == transfer.COLUMNS
    assert lines[1][2].startswith("'=HYPERLINK") and lines[1][3] == "'-たいそう"


def test_cp932_export_is_shift_jis_that_excel_reads(users: dict) -> None:
    varied_activities()
    data = transfer.write(transfer.export_rows(Activity.objects.all()), "cp932")
    text = data.decode("cp932")
    assert "毎週月・木曜 10:00～12:00" in text and "見守り隊" in text


def test_xlsx_export_keeps_text_as_text(users: dict) -> None:
    varied_activities()
    data = transfer.write(transfer.export_rows(Activity.objects.all()), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == transfer.COLUMNS
    assert sheet["C2"].data_type == "s" and sheet["C2"].value.startswith("=HYPERLINK")


def test_kinds_with_the_same_name_are_exported_by_code(users: dict) -> None:
    itabashi = area("131199")
    Kind.objects.create(municipality=itabashi, facet="activity", code="salon-2", name="サロン")
    activity = make_activity()
    activity.kinds.set(Kind.objects.filter(code__in=["salon", "salon-2"], municipality=itabashi))
    rows = list(transfer.export_rows(Activity.objects.all()))
    assert rows[0][transfer.COLUMNS.index("種類")] == "salon、salon-2"


# --- The batched writer stores what save_activity stores ------------------------------------


@pytest.mark.parametrize("all_or_nothing", [False, True])
def test_each_created_or_changed_activity_is_audited_once_and_unchanged_not_at_all(
    users: dict, all_or_nothing: bool
) -> None:
    unchanged, changed = make_activity(name="そのまま"), make_activity(name="体操の会")
    rows = transfer.read_file(transfer.write(transfer.export_rows(Activity.objects.all()), "csv"))
    rows[1].values["活動名"] = "体操の会（改）"
    new = transfer.read_file(
        file_of([row(活動名="A"), row(活動名="B", 運営団体="新しい会")], "utf-8")
    )
    since = last_entry()
    token = set_actor(Actor(user=users["sc"], ip="192.0.2.7"))
    try:
        report = transfer.import_rows(
            area("131199"), rows + new, commit=True, all_or_nothing=all_or_nothing, user=users["sc"]
        )
    finally:
        reset(token)
    assert (report.created, report.updated, report.unchanged) == (2, 1, 1)
    entries = AuditEntry.objects.filter(pk__gt=since, model="directory.Activity")
    created = {int(r.activity_id or 0) for r in report.rows[2:]}
    assert sorted(int(e.object_id) for e in entries.filter(action="create")) == sorted(created)
    [update] = entries.filter(action="update")
    assert (update.object_id, update.changed_fields) == (str(changed.pk), ["name"])
    assert not entries.filter(object_id=str(unchanged.pk)).exists()
    organizations = AuditEntry.objects.filter(pk__gt=since, model="directory.Organization")
    assert [e.action for e in organizations] == ["create"]
    assert {(e.actor, e.ip, e.area_path) for e in entries} == {
        ("sc@example.jp", "192.0.2.7", "131199/blk-akatsuka/takashimadaira")
    }


def audit_trail(since: int) -> list[tuple[str, str, str]]:
    entries = AuditEntry.objects.filter(pk__gt=since).exclude(model="")
    return sorted((e.action, e.model, ",".join(sorted(e.changed_fields))) for e in entries)


def last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def record_of(activity: Activity) -> dict[str, Any]:
    fields = snapshot(activity)
    return {k: v for k, v in fields.items() if k not in {"id", "created_at", "updated_at"}}


def by_save_activity(source: transfer.SourceRow) -> None:
    """What save_activity makes of a row: the reference the import must match."""
    [(result, plan)] = transfer_check.check_rows(area("131199"), [source])
    assert plan is not None, result.errors
    save_activity(plan.activity, plan.parts)


@pytest.mark.parametrize("batch", [2, 500])
def test_new_rows_are_stored_as_save_activity_stores_them(
    users: dict, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(import_service, "BATCH", batch)
    make_activity()  # its organiser exists before both runs
    values = row(運営団体="高島平体操クラブ", 日程="毎週水曜 14:00〜16:00\n不定期（予約制）")
    bare = row(種類="", 住所="", 場所名="", 緯度="", 経度="", 日程="", 運営団体="")
    rows = transfer.read_file(file_of([values, bare] * 3, "utf-8"))
    since = last_entry()
    report = transfer.import_rows(area("131199"), rows, commit=True, all_or_nothing=True)
    assert report.created == 6
    imported = [Activity.objects.get(pk=r.activity_id or 0) for r in report.rows]
    trail = audit_trail(since)
    since = last_entry()
    for source in rows:
        by_save_activity(source)
    saved = list(Activity.objects.order_by("pk"))[-len(rows) :]
    assert trail == audit_trail(since)
    assert [record_of(a) for a in imported] == [record_of(a) for a in saved]
    assert record_of(imported[0])["search_tokens"] and record_of(imported[0])["weekday_bits"]


@pytest.mark.parametrize("batch", [1, 500])
def test_changed_rows_are_stored_as_save_activity_stores_them(
    users: dict, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(import_service, "BATCH", batch)
    twins = [varied_activities()[0] for _twin in range(3)]
    exported = transfer.write(transfer.export_rows(Activity.objects.filter(pk=twins[0].pk)), "csv")
    changes = {"地域コード": "tokumaru", "種類": "見守り", "運営団体": "高島平体操クラブ"}
    changes |= {"日程": "不定期", "場所名": "徳丸会館", "住所": "板橋区徳丸1-1", "定員": ""}
    changes |= {"緯度": "", "経度": "", "状態": "休止中", "初めての方歓迎": "はい"}
    first, second = (transfer.read_file(exported)[0] for _copy in range(2))
    first.values |= changes | {"id": str(twins[1].pk)}
    second.values |= changes | {"id": str(twins[2].pk)}
    since = last_entry()
    by_save_activity(first)
    trail = audit_trail(since)
    since = last_entry()
    report = transfer.import_rows(area("131199"), [second], commit=True, all_or_nothing=True)
    assert report.updated == 1 and audit_trail(since) == trail
    assert record_of(twins[1]) == record_of(twins[2]) != record_of(twins[0])
    assert [p["name"] for p in record_of(twins[2])["places"]] == ["徳丸会館", "第二会場"]
    assert record_of(twins[2])["kinds"] == ["watch-over"]
