"""Uploaded files (photos, receipts, materials, scans, imports waiting for their commit) when
the disk is full: a clear message, nothing half-written left behind, no row saved.

Every file the site keeps on disk goes through `FileSystemStorage` (settings.STORAGES'
default, which the receipts' `PrivateStorage` writes through too). A write that fails for
want of space (ENOSPC, a quota's EDQUOT, or EFBIG) deletes what it had written and raises
`StorageFull`, a ValidationError with a message for the person. A model's file is written
before its row (FileField's pre_save), so the row is never saved; a view that shows a
service's ValidationError in its form (the expense pages) shows this one there too, and for
every other view `StorageFullMiddleware` takes the person back to the page they sent with the
message on it.

`PrivateStorage` is the default storage without addresses: receipts' (budgets) files go
wherever settings.STORAGES puts uploads (this disk, or the S3 bucket of SASAEAI_S3_BUCKET),
and only the view that checks who may see them serves them.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.core.files.storage import Storage, storages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.deconstruct import deconstructible
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

log = logging.getLogger(__name__)

NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageFull(ValidationError):
    """The disk had no room for a file; nothing of it was kept."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "サーバーの保存場所がいっぱいのため、ファイルを保存できませんでした。"
                "何も保存していません。システムの担当者にお知らせのうえ、"
                "しばらくしてからもう一度お試しください。"
            ),
            code="storage_full",
        )


@deconstructible
class FileSystemStorage(DjangoFileSystemStorage):
    """Django's file system storage, which leaves no partial file when the disk is full.

    A name taken by another upload at the same instant makes Django write under a new name
    (its race loop); a disk that fills during exactly that write would leave its piece: the
    backup's manifest lists it, and nothing points at it."""

    def _save(self, name: str, content: Any) -> str:
        existed = self.exists(name)
        try:
            return self._write(name, content)
        except OSError as error:
            if error.errno not in NO_SPACE:
                raise
            if not existed:
                self._remove(name)
            log.error("The disk is full: a file of %s bytes was not kept.", content.size)
            raise StorageFull from error

    def _write(self, name: str, content: Any) -> str:
        """Write the file (Django's own way); where a full disk is felt."""
        return str(super()._save(name, content))  # type: ignore[misc]  # missing in django-stubs

    def _remove(self, name: str) -> None:
        try:
            self.delete(name)
        except OSError:  # a delete needs no space; if it fails, say so and go on
            log.exception("A partial file could not be removed.")


@deconstructible
class PrivateStorage(Storage):
    """The default storage's files, which have no URL.

    Every call goes to settings.STORAGES["default"] as it is at that moment: the disk under
    MEDIA_ROOT (no partial file when it is full), an S3 bucket (objects without ACL, under
    SASAEAI_S3_PREFIX), or a test's storage. Only `url()` differs: it refuses, so no page can
    link to a file past the view that checks who may see it. Built without arguments, so a
    model field's migration does not change with the configuration."""

    @property
    def backend(self) -> Storage:
        return storages["default"]

    def url(self, name: str | None) -> str:
        raise ValueError("these files have no public URL")

    def open(self, name: str, mode: str = "rb") -> File[Any]:
        return self.backend.open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename: Any) -> str:
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name: str) -> str:
        return self.backend.get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length=max_length)

    def path(self, name: str) -> str:
        return self.backend.path(name)  # only where the backend is a disk

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def get_accessed_time(self, name: str) -> datetime:
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self.backend.get_created_time(name)

    def get_modified_time(self, name: str) -> datetime:
        return self.backend.get_modified_time(name)


class StorageFullMiddleware:
    """Answer a request whose file did not fit with the page it came from and the message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageFull):
            return None
        messages.error(request, exception.messages[0])
        back = request.get_full_path()  # the form, unless it only takes a POST from a page
        came_from = request.headers.get("referer", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            came_from, {request.get_host()}, require_https=request.is_secure()
        ):
            back = came_from
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(back)
        return HttpResponseRedirect(back)
