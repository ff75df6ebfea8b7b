"""The disk fills while an upload is written (an activity's photo, a meeting's photo, a
receipt, an event's material, a booklet column's photo, an import waiting for its commit):
the person sees a clear message, no row is saved or changed, and no piece of the file stays.

The full disk is made where the storage writes: Django's own FileSystemStorage._save runs
as always, but the file it opens takes only a few bytes before the write fails with ENOSPC,
as a full file system does, leaving those bytes on disk."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import filesystem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sasaeai.booklets.models import Column
from sasaeai.booklets.tests.builders import make_edition
from sasaeai.budgets.models import Expense
from sasaeai.budgets.tests.builders import YEAR, category, make_budget, pdf_file
from sasaeai.councils.models import MeetingPhoto
from sasaeai.councils.tests.builders import make_meeting
from sasaeai.directory.models import Activity
from sasaeai.directory.tests.builders import make_activity
from sasaeai.directory.tests.photos import edit_data, give_photo, image_bytes, upload
from sasaeai.directory.tests.test_transfer import file_of, row
from sasaeai.directory.transfer_views import SESSION_KEY
from sasaeai.events.models import Material
from sasaeai.events.tests.builders import make_event
from sasaeai.lib.storage import StorageFull

pytestmark = pytest.mark.django_db
FULL = "サーバーの保存場所がいっぱいのため、ファイルを保存できませんでした。何も保存していません。"
ROOM = 7  # bytes the disk still had


class FillingFile:
    """A file on a disk with ROOM bytes left: what fits is written, then ENOSPC."""

    def __init__(self, file: Any) -> None:
        self.file, self.room = file, ROOM

    def write(self, data: bytes) -> int:
        self.file.write(data[: self.room])
        self.file.flush()
        if len(data) > self.room:
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return len(data)

    def close(self) -> None:
        self.file.close()


class FullDiskOs:
    """The `os` that Django's file system storage sees: the real one, whose files fill up."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def fdopen(fd: int, mode: str = "r", *args: Any) -> FillingFile:
        return FillingFile(os.fdopen(fd, mode, *args))


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setattr(filesystem, "os", FullDiskOs())
        yield


def files(media: Path) -> set[Path]:
    return {path for path in media.rglob("*") if path.is_file()}


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def says_full(response: Any) -> bool:
    return FULL in response.content.decode()


def test_the_storage_leaves_no_piece_of_the_file_and_says_why(media: Path) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(filesystem, "os", FullDiskOs())
    try:
        with pytest.raises(StorageFull) as raised:
            default_storage.save("activities/2026/photo.jpg", ContentFile(b"x" * 5000))
    finally:
        monkeypatch.undo()
    assert FULL in raised.value.messages[0]
    assert files(media) == set()
    # With room again, the same name is free and the whole file is kept.
    name = default_storage.save("activities/2026/photo.jpg", ContentFile(b"x" * 5000))
    assert name == "activities/2026/photo.jpg" and (media / name).stat().st_size == 5000


def test_an_activity_photo_on_a_full_disk_changes_nothing(
    users: dict, media: Path, full_disk: None
) -> None:
    activity = make_activity("いきいきサロン")
    url = f"/staff/activities/{activity.pk}/edit/"
    data = edit_data(activity, name="いきいきサロン（改）", photo=upload(image_bytes()))
    response = as_(users["sc"]).post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url and says_full(response)
    activity.refresh_from_db()
    assert activity.name == "いきいきサロン" and not activity.photo
    assert files(media) == set()


def test_a_replaced_activity_photo_keeps_the_old_one_on_a_full_disk(
    users: dict, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    activity = make_activity("いきいきサロン")
    old = give_photo(activity)
    monkeypatch.setattr(filesystem, "os", FullDiskOs())
    url = f"/staff/activities/{activity.pk}/edit/"
    data = edit_data(activity, photo=upload(image_bytes((900, 700))))
    assert says_full(as_(users["sc"]).post(url, data, follow=True))
    activity.refresh_from_db()
    assert Path(activity.photo.path) == old and files(media) == {old}


def test_a_meeting_photo_on_a_full_disk_is_not_added(
    users: dict, media: Path, full_disk: None
) -> None:
    meeting = make_meeting()
    url = f"/staff/councils/meetings/{meeting.pk}/photos/"
    data = {"image": upload(image_bytes()), "caption": "グループで話し合い"}
    response = as_(users["sc"]).post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url and says_full(response)
    assert not MeetingPhoto.objects.exists() and files(media) == set()


def test_a_receipt_on_a_full_disk_records_no_expense(
    users: dict, media: Path, full_disk: None
) -> None:
    budget = make_budget()
    data = {"spent_on": f"{YEAR}-05-01", "category": category().pk, "item": "会場費",
            "amount": "2000", "receipt": pdf_file("領収書.pdf")}  # fmt: skip
    url = f"/staff/budgets/{budget.council_id}/{YEAR}/expenses/new/"
    response = as_(users["sc"]).post(url, data, follow=True)
    assert says_full(response)  # on the form, with what was typed
    assert 'value="会場費"' in response.content.decode()
    assert not Expense.objects.exists() and files(media) == set()


def test_an_event_material_on_a_full_disk_is_not_added(
    users: dict, media: Path, full_disk: None
) -> None:
    event = make_event()
    upload_ = SimpleUploadedFile("shiryou.pdf", b"%PDF-1.4 test material", "application/pdf")
    url, page = f"/staff/events/{event.pk}/materials/", f"/staff/events/{event.pk}/"
    data = {"title": "当日資料", "file": upload_}
    response = as_(users["ward"]).post(
        url, data, follow=True, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.redirect_chain[-1][0] == f"http://testserver{page}" and says_full(response)
    assert not Material.objects.exists() and files(media) == set()


def test_a_booklet_column_photo_on_a_full_disk_saves_no_column(
    users: dict, media: Path, full_disk: None
) -> None:
    edition = make_edition()
    url = f"/staff/booklets/editions/{edition.pk}/columns/"
    data = {"columns-TOTAL_FORMS": "1", "columns-INITIAL_FORMS": "0",
            "columns-0-title": "民生委員さんの話", "columns-0-body": "見守りの工夫",
            "columns-0-position": "1", "columns-0-photo_caption": "",
            "columns-0-photo": upload(image_bytes())}  # fmt: skip
    response = as_(users["sc"]).post(url, data, follow=True)
    assert says_full(response)
    assert not Column.objects.exists() and files(media) == set()


def test_an_import_on_a_full_disk_stages_nothing(users: dict, media: Path, full_disk: None) -> None:
    client = as_(users["sc"])
    data = SimpleUploadedFile("活動.csv", file_of([row(活動名="A"), row(活動名="B")], "utf-8"))
    response = client.post(reverse("transfer:upload"), {"file": data}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("transfer:upload") and says_full(response)
    assert not Activity.objects.exists() and files(media) == set()
    assert SESSION_KEY not in client.session


def test_other_errors_of_the_disk_are_not_taken_for_a_full_one(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    def denied(*args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(type(default_storage._wrapped), "_write", denied)  # type: ignore[attr-defined]
    with pytest.raises(PermissionError):
        default_storage.save("x.txt", ContentFile(b"x"))


@pytest.mark.browser
def test_in_chromium_the_sc_is_told_on_the_page_and_nothing_is_added(
    transactional_db: Any, live_server: Any, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sasaeai.accounts.models import Role
    from sasaeai.test import load_itabashi, make_user
    from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    meeting = make_meeting()
    picture = media.parent / "meeting.jpg"
    picture.write_bytes(image_bytes((320, 240)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console) as page:
        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/staff/councils/meetings/{meeting.pk}/photos/")
        monkeypatch.setattr(filesystem, "os", FullDiskOs())  # the server runs in this process
        page.locator("input[name=image]").set_input_files(str(picture))
        page.get_by_label("写真の説明").fill("グループごとに意見を出し合いました")
        page.get_by_role("button", name="写真を追加する").click()
        page.get_by_text("サーバーの保存場所がいっぱい").wait_for()
        check_page(page, "disk-full-meeting-photo", problems)
    assert not problems, "\n".join(problems)
    assert not MeetingPhoto.objects.exists() and files(media) == set()
