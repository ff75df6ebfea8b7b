"""manage.py backup and restore with the uploaded files on a storage that has no local path, as
an S3 bucket (SASAEAI_S3_BUCKET) has none: the archive holds every file of that storage with
its checksum (receipts too), restore puts each back into the configured storage and checks
it, and a storage that already holds files is refused before anything is written. A backup
of a disk restores into such a storage: moving a site's files to a bucket is a restore."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management import CommandError, call_command
from django.db import connection

from sasaeai.budgets.models import receipt_storage
from sasaeai.core import backup
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.tests.pathless import PathlessStorage, every_file, use_pathless

# The data must be committed: pg_dump reads it through a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)
PHOTO = "minutes/2026/集合写真.jpg"
RECEIPT = "private/budgets/receipts/2026/0a1b2c.pdf"


@pytest.fixture
def site(itabashi: Any, settings: Any, tmp_path: Path) -> Iterator[Storage]:
    """A site whose uploads are on a storage without a path: an activity, a meeting photo
    and a receipt (written through the receipts' own storage)."""
    settings.MEDIA_ROOT = str(tmp_path / "disk")
    storage = use_pathless(settings)
    make_activity("高島平ふれあいサロン")
    storage.save(PHOTO, ContentFile(b"\xff\xd8 a photo " * 1000))
    receipt_storage.save(RECEIPT, ContentFile(b"%PDF-1.4 receipt"))
    yield storage
    assert PathlessStorage.asked == []
    assert not (tmp_path / "disk").exists()  # nothing went by way of the disk


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        stream = tar.extractfile("manifest.json")
        assert stream is not None
        manifest: dict[str, Any] = json.loads(stream.read())
        return manifest


def test_backup_and_restore_carry_the_storages_files_both_ways(
    site: Storage, fresh: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    archive = tmp_path / "sasaeai.backup"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)  # the configured storage, as in production
    assert "ファイル 2 件" in out.getvalue()
    files = every_file(site)
    members = manifest_of(archive)["members"]
    assert {n for n in members if n.startswith("media/")} == {f"media/{PHOTO}", f"media/{RECEIPT}"}

    target = use_pathless(settings)  # another machine's empty storage
    assert target is not site and every_file(target) == {}
    done = backup.restore(archive, fresh, target)

    assert done.files == 2 and every_file(target) == files  # byte for byte
    # Receipts are back where the receipts' storage reads them.
    with receipt_storage.open(RECEIPT) as receipt:
        assert receipt.read() == b"%PDF-1.4 receipt"


def test_a_restore_into_a_storage_that_holds_files_is_refused_before_anything_changes(
    site: Storage, fresh: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "sasaeai.backup"
    backup.backup(archive, connection.settings_dict, site)
    before = every_file(site)
    with pytest.raises(backup.BackupError, match="ファイルの置き場所が空ではありません"):
        backup.restore(archive, fresh, site)
    with pytest.raises(CommandError, match="ファイルの置き場所が空ではありません"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert every_file(site) == before
    if connection.vendor == "sqlite":
        assert not Path(fresh["NAME"]).exists()
    else:
        with backup._postgres(fresh) as conn:
            tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            assert conn.execute(tables).fetchone() == (0,)


def test_a_backup_of_a_disk_restores_into_a_storage_without_a_path(
    fresh: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    disk = tmp_path / "media"
    (disk / "minutes" / "2026").mkdir(parents=True)
    (disk / PHOTO).write_bytes(b"\xff\xd8 on disk")
    archive = tmp_path / "sasaeai.backup"
    backup.backup(archive, connection.settings_dict, disk)

    bucket = use_pathless(settings)
    backup.restore(archive, fresh, bucket)
    assert every_file(bucket) == {PHOTO: b"\xff\xd8 on disk"}
    assert PathlessStorage.asked == []
