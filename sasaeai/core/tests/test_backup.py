"""manage.py backup and restore: a round trip gives back every table's rows and every uploaded
file, on the engine the tests run on (SQLite or PostgreSQL); the referrals read back with a
rotated key list of the restoring machine; an archive that is damaged, truncated, of the wrong
key or aimed at a database that is not empty is refused with a Japanese message and nothing
changes."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from sasaeai.core import backup
from sasaeai.directory.tests.builders import make_activity
from sasaeai.referrals import crypto
from sasaeai.referrals.models import Status
from sasaeai.referrals.tests.builders import PERSON, make_institution, make_referral

# The data must be committed: pg_dump reads it through a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)
PHOTO = "councils/photos/2026/集合写真.jpg"


@pytest.fixture
def installation(users: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Demo-like records (an activity, a referral with personal data) and an uploaded file, in
    a media folder of this test's own (the suite's is shared by every test)."""
    settings.MEDIA_ROOT = str(tmp_path / "site-media")
    make_activity("高島平ふれあいサロン")
    referral = make_referral(make_institution(), by=users["sc"], status=Status.SENT)
    photo = Path(settings.MEDIA_ROOT) / PHOTO
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 a photo " * 1000)
    return {"referral": referral, "media": Path(settings.MEDIA_ROOT)}


def rows(database: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database["NAME"]) as conn:
            return conn.execute(sql).fetchall()
    with backup._postgres(database) as conn:
        return conn.execute(sql).fetchall()


def test_round_trip_gives_back_every_row_and_file(
    installation: dict[str, Any], fresh: dict[str, Any], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    archive = tmp_path / "sasaeai.backup"
    made = backup.backup(archive, connection.settings_dict, installation["media"])
    media = tmp_path / "restored-media"

    done = backup.restore(archive, fresh, media)

    assert (done.tables, done.rows, done.files) == (made.tables, made.rows, 1)
    assert (media / PHOTO).read_bytes() == (installation["media"] / PHOTO).read_bytes()
    names = rows(fresh, "SELECT name FROM directory_activity")
    assert names == [("高島平ふれあいサロン",)]
    assert figures(fresh) == figures(connection.settings_dict)  # every table, row for row
    assert crypto.dev_key() not in archive.read_bytes()  # the keys are never in the archive

    # The restoring machine has rotated its keys: a new one first, the one the values were
    # written with after. It reads the referral.
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV, f"{new},{crypto.dev_key().decode()}")
    crypto.forget_keys()
    try:
        [(stored,)] = rows(fresh, "SELECT person_name FROM referrals_referral")
        assert stored.startswith(crypto.PREFIX) and PERSON not in stored
        assert crypto.decrypt(stored) == PERSON
    finally:
        monkeypatch.delenv(crypto.ENV)
        crypto.forget_keys()


def figures(database: dict[str, Any]) -> dict[str, Any]:
    """Each table's rows and checksum, read through a plain connection (no Django type
    converters), as the backup reads them."""
    if connection.vendor == "sqlite":
        # uri=True also opens the tests' shared in-memory database by its "file:" name.
        with closing(sqlite3.connect(database["NAME"], uri=True)) as conn:
            return backup._tables(conn, "sqlite")
    with backup._postgres(database) as conn:
        conn.execute("BEGIN")
        try:
            return backup._tables(conn, "postgresql")
        finally:
            conn.execute("ROLLBACK")


def test_an_encrypted_archive_hides_its_contents_and_needs_its_key(
    installation: dict[str, Any], fresh: dict[str, Any], tmp_path: Path
) -> None:
    key = Fernet.generate_key()
    archive = tmp_path / "sasaeai.backup"
    backup.backup(archive, connection.settings_dict, installation["media"], key=key)
    content = archive.read_bytes()
    assert "高島平ふれあいサロン".encode() not in content and b"manifest" not in content

    with pytest.raises(backup.BackupError, match="鍵を設定してください"):
        backup.restore(archive, fresh, tmp_path / "m1")
    with pytest.raises(backup.BackupError, match="鍵が違います"):
        backup.restore(archive, fresh, tmp_path / "m2", key=Fernet.generate_key())
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(content[: len(content) // 2])
    with pytest.raises(backup.BackupError, match="途中で切れています"):
        backup.restore(truncated, fresh, tmp_path / "m3", key=key)
    assert_untouched(fresh, tmp_path / "m1", tmp_path / "m2", tmp_path / "m3")

    backup.restore(archive, fresh, tmp_path / "m4", key=key)
    assert rows(fresh, "SELECT name FROM directory_activity") == [("高島平ふれあいサロン",)]


def assert_untouched(database: dict[str, Any], *media: Path) -> None:
    """Nothing was written: no table in the database, no file in the media folders."""
    if connection.vendor == "sqlite":
        path = Path(database["NAME"])
        assert not path.exists() or rows(database, "SELECT count(*) FROM sqlite_master") == [(0,)]
    else:
        tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        assert rows(database, tables) == [(0,)]
    assert not any(p.is_file() for folder in media if folder.exists() for p in folder.rglob("*"))


def test_a_damaged_archive_is_refused_before_anything_changes(
    installation: dict[str, Any], fresh: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "sasaeai.backup"
    backup.backup(archive, connection.settings_dict, installation["media"])
    content = bytearray(archive.read_bytes())
    photo_at = content.index(b"a photo")
    content[photo_at] ^= 0xFF  # one bit of rot in the photo
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(content))
    with pytest.raises(backup.BackupError, match="目録と合いません"):
        backup.restore(damaged, fresh, tmp_path / "media")

    cut = tmp_path / "cut.backup"
    cut.write_bytes(bytes(content[: photo_at - 100]))
    with pytest.raises(backup.BackupError, match=r"壊れています|目録"):
        backup.restore(cut, fresh, tmp_path / "media")
    assert_untouched(fresh, tmp_path / "media")


@pytest.mark.django_db  # nothing to commit: the archive is made by hand
def test_an_archive_pointing_outside_the_media_folder_is_refused(
    fresh: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "evil.backup"
    payload = b"not yours"
    digest = backup._stream_sha256(io.BytesIO(payload))
    engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    manifest = json.dumps({"version": backup.VERSION, "engine": engine, "tables": {},
                           "members": {"media/../../escaped.txt": digest}}).encode()  # fmt: skip
    with tarfile.open(archive, "w") as tar:
        for name, data in (("media/../../escaped.txt", payload), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(backup.BackupError, match="置き場所の外"):
        backup.restore(archive, fresh, tmp_path / "media")
    assert not (tmp_path / "escaped.txt").exists()


def test_the_commands_refuse_a_database_that_is_not_empty(
    installation: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    archive = tmp_path / "sasaeai.backup"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "書き出しました" in out.getvalue() and archive.exists()
    with pytest.raises(CommandError, match="すでにあります"):
        call_command("backup", str(archive), stdout=io.StringIO())

    settings.MEDIA_ROOT = str(tmp_path / "empty-media")
    # The running database: PostgreSQL's is not empty; SQLite's (in tests) is in memory.
    refusal = "空ではありません" if connection.vendor == "postgresql" else "メモリ上"
    with pytest.raises(CommandError, match=refusal):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not (tmp_path / "empty-media").exists()
