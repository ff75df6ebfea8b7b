"""The printed confirmation sheets (issue 30): a postcard per activity with its listing, the
code to type and a QR code that decodes to the organiser's link; rendered to PNG
(test-artifacts/confirm/) to be looked at."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from sasaeai.booklets.tests.builders import run
from sasaeai.directory import confirm, confirm_sheets
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib import jobs

from .confirm_builders import batch_of, make_season

pytestmark = pytest.mark.django_db
SITE = "https://itabashi.test/"
OUT = Path(settings.BASE_DIR) / "test-artifacts" / "confirm"


def made(paper: str) -> tuple[bytes, dict[str, str]]:
    make_activity("高島平ひだまりサロン", fee="100円", contact_public=True,
                  contact_name="山田 花子", contact_phone="03-1234-5678")  # fmt: skip
    make_activity(
        "高島平ウォーキングの会・朝の部（雨の日は地域センターで体操をします）", is_free=True
    )
    batch = batch_of(make_season())
    batch.paper = paper
    batch.save(update_fields=["paper"])
    jobs.claim(batch)
    codes: dict[str, str] = {}
    real_issue = confirm.issue

    def remember(*args: object, **kwargs: object) -> object:
        request, code = real_issue(*args, **kwargs)  # type: ignore[arg-type]
        codes[request.activity.name] = code
        return request, code

    confirm_sheets.confirm.issue = remember  # type: ignore[assignment]
    try:
        confirm_sheets.build(batch, SITE)
    finally:
        confirm_sheets.confirm.issue = real_issue  # type: ignore[assignment]
    batch.refresh_from_db()
    assert batch.job_status == "done", batch.job_error
    with batch.pdf.open("rb") as file:
        return file.read(), codes


@pytest.mark.parametrize("paper", ["postcard", "letter"])
def test_each_sheet_holds_its_listing_and_code(itabashi: object, paper: str) -> None:
    pdf, codes = made(paper)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    width_mm = float(reader.pages[0].mediabox.width) * 25.4 / 72
    assert round(width_mm) == (105 if paper == "postcard" else 210)
    texts = ["".join(page.extract_text().split()) for page in reader.pages]
    for name, code in codes.items():
        page = next(t for t in texts if "".join(name.split())[:8] in t)
        assert confirm.shown(code) in page
    assert "100円" in "".join(texts) and "03-1234-5678" in "".join(texts)


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools missing")
def test_qr_codes_decode_to_their_links(itabashi: object) -> None:
    pdf, codes = made("postcard")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "postcards.pdf"
    path.write_bytes(pdf)
    run("pdftoppm", "-r", "150", "-png", str(path), str(OUT / "postcard"))
    found = set()
    for page in sorted(OUT.glob("postcard-*.png")):
        found |= set(run("zbarimg", "--quiet", "--raw", str(page), check=False).split())
    assert found == {f"{SITE}confirm/{code}/" for code in codes.values()}
