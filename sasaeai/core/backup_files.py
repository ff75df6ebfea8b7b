"""The uploaded files' part of a backup (core/backup.py): what the configured storage holds
(the disk under MEDIA_ROOT, the S3 bucket of SASAEAI_S3_BUCKET, or any Django storage), read
and written back through the storage's own listing, open and save, never through a local
path, which a bucket does not have. A backup made from the disk restores into a bucket and
the other way round: the archive holds names, not places."""

from __future__ import annotations

import hashlib
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage

from sasaeai.lib.storage import FileSystemStorage


def storage_at(place: Storage | Path) -> Storage:
    """A storage as given, or a folder on this disk as one (tests, scripts)."""
    if isinstance(place, Storage):
        return place
    return FileSystemStorage(location=str(place))


def where(storage: Storage) -> str:
    """The storage named for an operator: its folder, or its bucket and prefix."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}".rstrip("/")
    return str(getattr(storage, "location", type(storage).__name__))


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, folder by folder, in name order; nothing for a
    folder that does not exist (a new site's MEDIA_ROOT)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from walk(storage, prefix + sub)


def is_empty(storage: Storage) -> bool:
    return next(walk(storage), None) is None


def is_safe(name: str) -> bool:
    """Whether an archive's file name stays inside the storage: relative, no "..", no ".",
    no empty part, no backslash or NUL (which a disk or a bucket would read otherwise)."""
    return (
        bool(name)
        and "\\" not in name
        and "\0" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


class _Hashing:
    """A file read once: into the archive, and into its checksum on the way."""

    def __init__(self, stream: File[Any]) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.stream.read(size)
        self.digest.update(data)
        return data


def add(tar: tarfile.TarFile, storage: Storage, name: str, arcname: str) -> str | None:
    """Put the stored file `name` into the archive as `arcname`; its SHA-256, or None when it
    was deleted since the listing (the site keeps running during a backup)."""
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        return None
    with file:
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime = file.size, int(time.time())
        reader = _Hashing(file)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


def write(storage: Storage, name: str, stream: IO[bytes], size: int) -> str:
    """Store an archive's file under `name` through the storage; the name it was stored as."""
    content: File[Any] = File(stream, name=name)
    content.size = size  # not the archive's own size, which File would find by its name
    return storage.save(name, content)


def checksum(storage: Storage, name: str) -> str:
    """The stored file's SHA-256; "" when it is missing."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as file:
            while block := file.read(1024 * 1024):
                digest.update(block)
    except FileNotFoundError:
        return ""
    return digest.hexdigest()
