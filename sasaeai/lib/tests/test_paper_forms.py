"""The shared machinery of paper forms (lib/paper_forms.py): references survive being typed
by hand, a mistyped one is told apart from an unknown one, a returned sheet is checked like a
photo (and a scanned PDF read for its picture), and the QR code is read when zbar is there.

The helpers at the top are used by each app's test_paper*.py."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sasaeai.lib import paper_forms

# The sheets rendered to PNG, kept for people to look at (as the browser tests' screenshots).
SHEETS = Path(settings.BASE_DIR) / "test-artifacts" / "paper"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
needs_zbar = pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools missing")


def _program(name: str) -> str:
    found = shutil.which(name)
    assert found, name
    return found


def pages(pdf: bytes, folder: Path, name: str, dpi: int = 100) -> list[Path]:
    """Each page of `pdf` as a PNG in `folder` (and a copy in SHEETS under `name`)."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    command = [_program("pdftoppm"), "-r", str(dpi), "-png", str(source), str(folder / name)]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    found = sorted(folder.glob(f"{name}*.png"))
    SHEETS.mkdir(parents=True, exist_ok=True)
    for page in found:
        shutil.copy(page, SHEETS / page.name)
    return found


def codes(png: Path) -> list[str]:
    command = [_program("zbarimg"), "--quiet", "--raw", str(png)]
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    return [line for line in done.stdout.decode().splitlines() if line]


def upload(path_or_bytes: Path | bytes, name: str = "sheet.png") -> SimpleUploadedFile:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return SimpleUploadedFile(name, data)


def png(width: int = 40, height: int = 60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def pdf_of_image(image: bytes, pages_count: int = 1) -> bytes:
    """A scanned PDF: a picture a page (as a scanner writes it)."""
    picture = Image.open(io.BytesIO(image)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PDF", save_all=True, append_images=[picture] * (pages_count - 1))
    return out.getvalue()


def returned_sheet[S: paper_forms.PaperSheet](
    model: type[S], by: Any = None, content: bytes = b"", **fields: Any
) -> S:
    """A sheet of `model` printed and come back: its scan a small white picture, or
    `content` (as an app stores it: a referral's encrypted)."""
    sheet = paper_forms.issue(model, 1, by=by, **fields)[0]
    paper_forms.attach(sheet, ContentFile(content or png(), name="x.jpg"), by=by)
    return sheet


def test_a_reference_is_read_back_however_it_is_typed() -> None:
    reference = paper_forms.new_reference("N")
    assert reference.startswith("N-") and len(reference) == 11
    assert paper_forms.well_formed(reference)
    full_width = (
        reference.lower()
        .replace("-", "ー")
        .translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789abcdefghijklmnopqrstuvwxyz"})
    )
    assert paper_forms.normalise(f" {full_width} ") == reference
    assert paper_forms.normalise(reference.replace("-", " ")) == reference


def test_one_wrong_character_or_two_swapped_are_caught() -> None:
    reference = paper_forms.new_reference("E")
    body = reference.replace("-", "")
    wrong = body[:3] + ("X" if body[3] != "X" else "Y") + body[4:]
    assert not paper_forms.well_formed(paper_forms.normalise(wrong))
    if body[2] != body[3]:
        swapped = body[:2] + body[3] + body[2] + body[4:]
        assert not paper_forms.well_formed(paper_forms.normalise(swapped))
    assert paper_forms.normalise("N-1234-5678") == ""  # 1 is never printed


def test_a_photo_of_a_sheet_is_kept_as_a_jpeg_without_its_name() -> None:
    kept = paper_forms.checked_scan(upload(png(3000, 4000), "山田さんの用紙.png"))
    assert (kept.name or "").endswith(".jpg") and "山田" not in (kept.name or "")
    picture = Image.open(io.BytesIO(kept.read()))
    assert max(picture.size) == paper_forms.SCAN_MAX_PX


def test_a_scanned_pdf_gives_its_picture() -> None:
    kept = paper_forms.checked_scan(upload(pdf_of_image(png(800, 1100)), "scan.pdf"))
    assert Image.open(io.BytesIO(kept.read())).size == (800, 1100)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a picture", "用紙として読み込めませんでした"),
        (pdf_of_image(png(), pages_count=2), "1枚（1ページ）ずつ"),
        (b"%PDF-1.4 broken", "用紙として読み込めませんでした"),
    ],
)
def test_what_is_not_a_sheet_is_refused_in_plain_words(content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        paper_forms.checked_scan(upload(content, "x.pdf"))
    assert message in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    big = upload(png())
    big.size = paper_forms.SCAN_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="10MBまで"):
        paper_forms.checked_scan(big)


@needs_zbar
def test_the_qr_code_of_a_sheet_is_read_back() -> None:
    import base64

    reference = paper_forms.new_reference("R")
    data = paper_forms.qr_png(reference).split(",", 1)[1]
    small = Image.open(io.BytesIO(base64.b64decode(data))).convert("L")
    scaled = small.resize((small.width * 8, small.height * 8), Image.Resampling.NEAREST)
    out = io.BytesIO()
    scaled.save(out, "JPEG")
    assert paper_forms.read_reference(out.getvalue()) == reference


def test_without_zbar_nothing_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, **kw: None)
    assert not paper_forms.can_read_codes()
    assert paper_forms.read_reference(png()) == ""
