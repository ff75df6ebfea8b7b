"""Backing up and restoring a whole installation: the database and the uploaded files, in one
archive with a manifest of row counts and checksums (manage.py backup / restore).

The archive is a tar file: `database.sqlite3` (SQLite's online backup API, taken while the
site runs) or `database.pgdump` (pg_dump's custom format), the uploaded files under `media/`
(every file of the configured storage: MEDIA_ROOT, or the S3 bucket; core/backup_files.py), and
`manifest.json` last, which names the checksum of every other member, each table's row count
and content checksum, and each file's checksum. With a key (SASAEAI_BACKUP_KEY, a Fernet key
from the environment, never written beside the archive) the tar is encrypted in numbered
chunks whose last is marked, so a truncated archive is told from a whole one.

A restore reads the whole archive and checks it against its manifest before it touches
anything, writes only into an empty database and an empty storage (through the storage, so
into the bucket when one is configured), then checks each table and file of the result
against the manifest.

The personal-data keys (SASAEAI_PERSONAL_DATA_KEYS) live in the environment only: the archive
holds the encrypted values, and whoever restores reads them with the keys of their own
environment."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.translation import gettext as _

from . import backup_files

VERSION = 1
KEY_ENV = "SASAEAI_BACKUP_KEY"
MANIFEST = "manifest.json"
MEDIA = "media/"
MAGIC = b"SASAEAI-BACKUP-ENCRYPTED-1\n"
CHUNK = 4 * 1024 * 1024
Progress = Callable[[str], None]
Database = Mapping[str, Any]  # a settings.DATABASES entry


class BackupError(Exception):
    """A backup or restore that cannot go on; its message is for the operator, in Japanese."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def _quiet(message: str) -> None:
    pass


# --- Backup ---------------------------------------------------------------------------


def backup(
    path: Path, database: Database, media: Storage | Path, *, key: bytes | None = None,
    progress: Progress = _quiet,
) -> Summary:  # fmt: skip
    """Write the archive of `database` and the files of the storage `media` (or of a folder)
    to `path` (encrypted with `key`)."""
    storage = backup_files.storage_at(media)
    with tempfile.TemporaryDirectory(prefix="sasaeai-backup-") as work:
        tar_path = Path(work) / "backup.tar"
        members: dict[str, str] = {}
        with tarfile.open(tar_path, "w") as tar:
            progress(_("データベースを書き出しています…"))
            dump, tables = _dump(database, Path(work))
            members[dump.name] = _add(tar, dump, dump.name)
            files = list(backup_files.walk(storage))
            for number, name in enumerate(files, 1):
                try:
                    digest = backup_files.add(tar, storage, name, MEDIA + name)
                except OSError as error:  # changed while read, or the storage failed
                    raise BackupError(_("ファイルを読めませんでした: %(name)s（%(why)s）")
                                      % {"name": name, "why": error}) from None  # fmt: skip
                if digest is not None:  # None: deleted since the listing
                    members[MEDIA + name] = digest
                if number % 500 == 0:
                    progress(_("ファイル %(n)s / %(total)s") % {"n": number, "total": len(files)})
            manifest = {
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "engine": _engine(database),
                "tables": tables,
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        _seal(tar_path, path, key)
    return Summary(
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=sum(1 for name in members if name.startswith(MEDIA)),
        bytes=path.stat().st_size,
    )


def _engine(database: Database) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(_("このデータベースには対応していません: %(engine)s") % {"engine": engine})


def _dump(database: Database, work: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The database's copy in `work` and each table's figures, both of one moment."""
    if _engine(database) == "sqlite":
        copy = work / "database.sqlite3"
        _sqlite_copy(database, copy)
        with _sqlite(copy) as connection:
            return copy, _tables(connection, "sqlite")
    dump = work / "database.pgdump"
    with _postgres(database) as connection:
        # One snapshot for pg_dump and for the figures: the site may write meanwhile.
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        _run(["pg_dump", "--format=custom", f"--snapshot={row[0]}", f"--file={dump}"], database)
        tables = _tables(connection, "postgresql")
        connection.execute("COMMIT")
    return dump, tables


def _sqlite_copy(database: Database, copy: Path) -> None:
    from django.db import connections

    name = str(database["NAME"])
    alias = next(
        (a for a in connections if connections[a].settings_dict["NAME"] == database["NAME"]),
        None,
    )
    target = sqlite3.connect(copy)
    try:
        if alias is not None:  # the running site's own connection (an in-memory test database)
            connections[alias].ensure_connection()
            connections[alias].connection.backup(target)
        else:
            source = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
            try:
                source.backup(target)
            finally:
                source.close()
    finally:
        target.close()


def _add(tar: tarfile.TarFile, file: Path, name: str) -> str:
    digest = _sha256(file)
    tar.add(file, arcname=name, recursive=False)
    return digest


# --- Figures of a database -----------------------------------------------------------------


def _tables(connection: Any, engine: str) -> dict[str, dict[str, Any]]:
    """Each table's row count and a checksum of its rows (in any order: the sum of the rows'
    SHA-256 values, modulo 2**256), read through one connection."""
    if engine == "sqlite":
        names = [
            name
            for name, sql in connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
            if not (sql or "").upper().startswith("CREATE VIRTUAL")
        ]
    else:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
    return {name: _table(connection, engine, name) for name in names}


def _table(connection: Any, engine: str, name: str) -> dict[str, Any]:
    quoted = '"' + name.replace('"', '""') + '"'
    total, count = 0, 0
    if engine == "sqlite":
        rows: Any = connection.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name
    else:
        rows = connection.cursor(name="figures")  # streamed: a table may be large
        rows.itersize = 5000
        rows.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name
    for row in rows:
        text = repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
        total = (total + int.from_bytes(hashlib.sha256(text.encode()).digest())) % 2**256
        count += 1
    if engine != "sqlite":
        rows.close()
    return {"rows": count, "sha256": f"{total:064x}"}


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def _postgres(database: Database) -> Iterator[psycopg.Connection[Any]]:
    connection = psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    )
    try:
        yield connection
    finally:
        connection.close()


def _run(command: list[str], database: Database) -> None:
    """pg_dump or pg_restore against `database`; its own words when it fails."""
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    where = [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            where.append(f"{option}={database[key]}")
    done = subprocess.run(  # noqa: S603 - fixed programs, arguments from the settings
        [*command, *where], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(_("%(program)s が失敗しました: %(why)s")
                          % {"program": command[0], "why": done.stderr.strip()[:500]})  # fmt: skip


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while block := stream.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


# --- Encryption ----------------------------------------------------------------------------


def _seal(tar_path: Path, path: Path, key: bytes | None) -> None:
    """Move the tar to `path`, or write it there encrypted: MAGIC, then chunks, each a 4-byte
    length and a Fernet token of (8-byte number, 1-byte last mark, data)."""
    partial = path.with_name(path.name + ".partial")
    if key is None:
        shutil.copyfile(tar_path, partial)
    else:
        fernet = _fernet(key)
        with tar_path.open("rb") as source, partial.open("wb") as target:
            target.write(MAGIC)
            number, block = 0, source.read(CHUNK)
            while True:
                following = source.read(CHUNK)
                last = not following
                token = fernet.encrypt(struct.pack(">Q?", number, last) + block)
                target.write(struct.pack(">I", len(token)) + token)
                if last:
                    break
                number, block = number + 1, following
    partial.replace(path)


def _open(path: Path, key: bytes | None, work: Path) -> Path:
    """The archive's tar: itself, or decrypted into `work` (refused when damaged)."""
    with path.open("rb") as stream:
        encrypted = stream.read(len(MAGIC)) == MAGIC
    if not encrypted:
        return path
    if key is None:
        raise BackupError(_("暗号化されたバックアップです。%(env)s に鍵を設定してください。")
                          % {"env": KEY_ENV})  # fmt: skip
    fernet, plain = _fernet(key), work / "backup.tar"
    with path.open("rb") as source, plain.open("wb") as target:
        source.read(len(MAGIC))
        number = 0
        while True:
            head = source.read(4)
            if len(head) < 4:
                raise BackupError(_("バックアップが途中で切れています。"))
            size = struct.unpack(">I", head)[0]
            token = source.read(size)
            if len(token) < size:
                raise BackupError(_("バックアップが途中で切れています。"))
            try:
                data = fernet.decrypt(token)
            except InvalidToken:
                raise BackupError(_("バックアップが壊れているか、鍵が違います。")) from None
            (found, last), data = struct.unpack(">Q?", data[:9]), data[9:]
            if found != number:
                raise BackupError(_("バックアップの順序が壊れています。"))
            target.write(data)
            if last:
                break
            number += 1
        if source.read(1):
            raise BackupError(_("バックアップの終わりのあとに余分なデータがあります。"))
    return plain


def _fernet(key: bytes) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise BackupError(_("%(env)s が Fernet の鍵ではありません。") % {"env": KEY_ENV}) from None


def key_from_environment() -> bytes | None:
    value = os.environ.get(KEY_ENV, "").strip()
    return value.encode() if value else None


# --- Restore -------------------------------------------------------------------------------


def restore(
    path: Path, database: Database, media: Storage | Path, *, key: bytes | None = None,
    progress: Progress = _quiet,
) -> Summary:  # fmt: skip
    """Restore the archive at `path` into the empty `database` and the empty storage `media`
    (or folder), then check the result against the manifest. Refuses, having changed
    nothing, a damaged archive, one of another database engine, or a database or storage
    that is not empty."""
    storage = backup_files.storage_at(media)
    if not path.is_file():
        raise BackupError(_("バックアップが見つかりません: %(path)s") % {"path": path})
    with tempfile.TemporaryDirectory(prefix="sasaeai-restore-") as work:
        progress(_("バックアップを確かめています…"))
        tar_path = _open(path, key, Path(work))
        manifest = _checked(tar_path)
        if manifest["engine"] != _engine(database):
            raise BackupError(_("このバックアップは %(engine)s のものです。")
                              % {"engine": manifest["engine"]})  # fmt: skip
        _ensure_empty(database, storage)
        progress(_("データベースを戻しています…"))
        with tarfile.open(tar_path) as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                stream = tar.extractfile(member)
                assert stream is not None
                if member.name.startswith(MEDIA):
                    _put(storage, member.name[len(MEDIA) :], stream, member.size)
                else:
                    _restore_database(stream, member.name, database, Path(work))
        progress(_("戻した結果を確かめています…"))
        _verify(manifest, database, storage)
    tables = manifest["tables"]
    return Summary(
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=sum(1 for name in manifest["members"] if name.startswith(MEDIA)),
        bytes=path.stat().st_size,
    )


def _checked(tar_path: Path) -> dict[str, Any]:
    """The manifest, once every member of the archive matches it."""
    try:
        with tarfile.open(tar_path) as tar:
            digests: dict[str, str] = {}
            manifest: dict[str, Any] | None = None
            for member in tar:
                stream = tar.extractfile(member)
                if stream is None:
                    raise BackupError(_("バックアップに読めない項目があります: %(name)s")
                                      % {"name": member.name})  # fmt: skip
                if member.name == MANIFEST:
                    manifest = json.loads(stream.read())
                else:
                    digests[member.name] = _stream_sha256(stream)
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(_("バックアップが壊れています: %(why)s") % {"why": error}) from None
    if manifest is None or manifest.get("version") != VERSION:
        raise BackupError(_("バックアップの目録（manifest.json）がないか、形式が違います。"))
    for name in [*digests, *manifest["members"]]:
        if name.startswith(MEDIA) and not backup_files.is_safe(name[len(MEDIA) :]):
            raise BackupError(_("バックアップに置き場所の外を指すファイルがあります: %(name)s")
                              % {"name": name})  # fmt: skip
    if digests != manifest["members"]:
        wrong = sorted(set(digests.items()) ^ set(manifest["members"].items()))
        raise BackupError(_("バックアップの中身が目録と合いません: %(names)s")
                          % {"names": ", ".join(sorted({n for n, _ in wrong}))[:300]})  # fmt: skip
    return manifest


def _stream_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := stream.read(1024 * 1024):
        digest.update(block)
    return digest.hexdigest()


def _ensure_empty(database: Database, storage: Storage) -> None:
    if not backup_files.is_empty(storage):
        raise BackupError(
            _("ファイルの置き場所が空ではありません: %(path)s")
            % {"path": backup_files.where(storage)}
        )
    if _engine(database) == "sqlite":
        if str(database["NAME"]).startswith((":memory:", "file:")):
            raise BackupError(
                _("メモリ上のデータベースには戻せません。ファイルを指定してください。")
            )
        name = Path(str(database["NAME"]))
        if name.exists() and name.stat().st_size > 0:
            with _sqlite(name) as connection:
                count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if count:
                raise BackupError(_("戻す先のデータベースが空ではありません: %(name)s")
                                  % {"name": name})  # fmt: skip
        return
    with _postgres(database) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    if row is not None and row[0]:
        raise BackupError(_("戻す先のデータベースが空ではありません: %(name)s")
                          % {"name": database["NAME"]})  # fmt: skip


def _put(storage: Storage, name: str, stream: IO[bytes], size: int) -> None:
    """An archive's file back into the storage, under its own name (names checked in
    `_checked`; the storage was empty, so no other file takes the name)."""
    stored = backup_files.write(storage, name, stream, size)
    if stored != name:
        raise BackupError(_("ファイルを元の名前で戻せませんでした: %(name)s → %(stored)s")
                          % {"name": name, "stored": stored})  # fmt: skip


def _write(stream: IO[bytes], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(stream, out)


def _restore_database(stream: IO[bytes], name: str, database: Database, work: Path) -> None:
    if name == "database.sqlite3":
        target = Path(str(database["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".restoring")
        _write(stream, partial)
        for journal in ("-wal", "-shm"):  # an empty database's, left by a connection to it
            target.with_name(target.name + journal).unlink(missing_ok=True)
        partial.replace(target)
    elif name == "database.pgdump":
        dump = work / name
        _write(stream, dump)
        _run(["pg_restore", "--no-owner", "--exit-on-error", str(dump)], database)
    else:
        raise BackupError(_("バックアップに知らない項目があります: %(name)s") % {"name": name})


def _verify(manifest: dict[str, Any], database: Database, storage: Storage) -> None:
    if _engine(database) == "sqlite":
        with _sqlite(Path(str(database["NAME"]))) as connection:
            tables = _tables(connection, "sqlite")
    else:
        with _postgres(database) as connection:
            connection.execute("BEGIN")
            tables = _tables(connection, "postgresql")
            connection.execute("COMMIT")
    if tables != manifest["tables"]:
        wrong = sorted(n for n in set(tables) | set(manifest["tables"])
                       if tables.get(n) != manifest["tables"].get(n))  # fmt: skip
        raise BackupError(_("戻したデータベースが目録と合いません: %(names)s")
                          % {"names": ", ".join(wrong)[:300]})  # fmt: skip
    for name, digest in manifest["members"].items():
        if name.startswith(MEDIA) and backup_files.checksum(storage, name[len(MEDIA) :]) != digest:
            raise BackupError(_("戻したファイルが目録と合いません: %(name)s") % {"name": name})
