"""A case's photos and files: the forms that check them and the services that keep and drop
them. A photo goes through lib/photos.py (size, pixels, type read from its bytes; stored upright
without EXIF under a random name). A file is a PDF or an .xlsx of 5 MB at most, its type read
from its content and matched with its name's ending: an .exe renamed .pdf is refused with a
message, and nothing is kept. Files are stored under a random name; a full disk keeps no row
(lib/storage.py)."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.lib import photos
from sasaeai.lib.forms import PLAIN, plain_fields

from .models import FILES_A_CASE, PHOTOS_A_CASE, Case, CaseFile, CasePhoto, FileKind

FILE_MAX_BYTES = 5 * 1024 * 1024
CONTENT_TYPES: dict[str, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The parts every .xlsx holds (an .docx or a plain zip lacks the workbook).
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def kind_of(head: bytes, data: Any) -> str:
    """The file's kind read from its content ("" when it is neither a PDF nor an .xlsx)."""
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ""
        if all(part in names for part in XLSX_PARTS):
            return FileKind.XLSX
    return ""


def checked_file(upload: Any) -> tuple[ContentFile[bytes], str, str]:
    """The uploaded file under a random name, its kind and the name it came with; a
    ValidationError with a message for the person when it is too large, neither a PDF nor an
    .xlsx by its content, or named as another kind than it is."""
    if (getattr(upload, "size", None) or 0) > FILE_MAX_BYTES:
        raise forms.ValidationError(
            _("ファイルが大きすぎます。5MBまでのファイルを選んでください。")
        )
    content = upload.read(FILE_MAX_BYTES + 1)
    if len(content) > FILE_MAX_BYTES:
        raise forms.ValidationError(
            _("ファイルが大きすぎます。5MBまでのファイルを選んでください。")
        )
    kind = kind_of(content[:8], io.BytesIO(content))
    name = PurePath(str(getattr(upload, "name", "") or "file")).name[-150:]
    ending = PurePath(name).suffix.lower().lstrip(".")
    if not kind:
        raise forms.ValidationError(
            _("PDF か Excel（.xlsx）のファイルを選んでください。"
              "このファイルの中身はどちらでもありません。")
        )  # fmt: skip
    if ending != kind:
        raise forms.ValidationError(
            _("ファイル名の終わり（.%(ending)s）と中身（%(kind)s）が合っていません。"
              "元のファイルを選び直してください。")
            % {"ending": ending or "-", "kind": FileKind(kind).label}
        )  # fmt: skip
    return ContentFile(content, name=f"{secrets.token_hex(8)}.{kind}"), kind, name


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("写真"),
        help_text=gettext_lazy("JPEG か PNG、10MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={**PLAIN, "required": gettext_lazy("写真を選んでください。")},
    )
    caption = forms.CharField(
        label=gettext_lazy("写真の説明"), max_length=100, required=False, error_messages=PLAIN,
        help_text=gettext_lazy("例：朝の体操のあと、みんなでお茶を飲みました"),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=gettext_lazy("写っている人が、載せることに同意している"), required=False,
        help_text=gettext_lazy("同意がない写真は、住民のページには載りません。"),
    )  # fmt: skip
    internal = forms.BooleanField(
        label=gettext_lazy("職員だけに見せる（内部）"), required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_image(self) -> Any:
        if self.case.photos.count() >= PHOTOS_A_CASE:
            raise forms.ValidationError(
                _("写真は1つの事例に%(n)s枚までです。追加するには、先に1枚外してください。")
                % {"n": PHOTOS_A_CASE}
            )
        return photos.resized_photo(self.cleaned_data["image"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "caption")
        return data


class FileForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("資料名"), max_length=100,
        error_messages={**PLAIN, "required": gettext_lazy("資料名を書いてください。")},
    )  # fmt: skip
    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        help_text=gettext_lazy("PDF か Excel（.xlsx）、5MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"}),
        error_messages={**PLAIN, "required": gettext_lazy("ファイルを選んでください。")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_file(self) -> Any:
        if self.case.files.count() >= FILES_A_CASE:
            raise forms.ValidationError(
                _("資料は1つの事例に%(n)s個までです。追加するには、先に1つ外してください。")
                % {"n": FILES_A_CASE}
            )
        return checked_file(self.cleaned_data["file"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "title")
        return data


def add_photo(case: Case, form: PhotoForm, *, by: Any) -> CasePhoto:
    """Keep a checked photo; a full disk (lib/storage.py) leaves no row behind."""
    data = form.cleaned_data
    with transaction.atomic():
        return CasePhoto.objects.create(
            case=case, image=data["image"], caption=data["caption"], consent=data["consent"],
            internal=data["internal"], added_by=by if by.is_authenticated else None,
        )  # fmt: skip


def add_file(case: Case, form: FileForm, *, by: Any) -> CaseFile:
    content, kind, name = form.cleaned_data["file"]
    with transaction.atomic():
        return CaseFile.objects.create(
            case=case, title=form.cleaned_data["title"], file=content, original_name=name,
            kind=kind, size=content.size, added_by=by if by.is_authenticated else None,
        )  # fmt: skip


def read_file(found: CaseFile) -> bytes | None:
    """A stored file's bytes, None when it is missing; checked again by its content."""
    try:
        with found.file.open("rb") as stored:
            content: bytes = stored.read()
    except (OSError, ValueError):
        return None
    return content if kind_of(content[:8], io.BytesIO(content)) == found.kind else None
