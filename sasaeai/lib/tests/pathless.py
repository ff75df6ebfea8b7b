"""A storage with no local path, as an S3 bucket has none: for tests that the site reads and
writes uploaded files only through their storage (open, save, listdir), never by a path."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from django.core.files.storage import InMemoryStorage, Storage, storages
from django.utils._os import safe_join

BACKEND = "sasaeai.lib.tests.pathless.PathlessStorage"


class PathlessStorage(InMemoryStorage):
    """Django's in-memory storage whose `path()` fails as S3Storage's does. Each name asked
    for is kept too, so code that swallows the error is still caught (`asked`)."""

    asked: ClassVar[list[str]] = []

    def path(self, name: str) -> str:
        PathlessStorage.asked.append(name)
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name: str) -> str:
        # InMemoryStorage finds its nodes through path(): the same, without it.
        return os.path.relpath(safe_join(self.location, name), self.location)


def use_pathless(settings: Any) -> Storage:
    """Make a new, empty PathlessStorage the default storage (receipts follow it); return it."""
    PathlessStorage.asked.clear()
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": BACKEND}}
    return storages["default"]


def every_file(storage: Storage, folder: str = "") -> dict[str, bytes]:
    """Each file the storage holds, by name, with its content."""
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    found: dict[str, bytes] = {}
    for name in files:
        with storage.open(prefix + name, "rb") as file:
            found[prefix + name] = file.read()
    for sub in folders:
        found.update(every_file(storage, prefix + sub))
    return found
