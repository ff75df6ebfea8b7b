"""The booklet PDF holds every activity it should and no other, in embedded fonts (with a
fallback for 𠮷 and emoji), its QR codes lead to each activity's page, long names wrap, and
an empty region says so."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sasaeai.booklets import services
from sasaeai.directory.models import Status, Visibility
from sasaeai.directory.tests.builders import make_activity
from sasaeai.referrals.tests.builders import make_institution

from .builders import make_edition, make_long_activity, pdf_text, run

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils missing")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def made(users: dict, read: Any) -> dict[str, Any]:
    shown = [make_activity(f"いきいきサロン{n}", kana=f"いきいきさろん{n}") for n in range(3)]
    shown.append(make_long_activity())
    shown.append(
        make_activity("𠮷野さんの体操😀", kana="よしのさんのたいそう", kinds=("exercise",))
    )
    left = make_activity("載せない麻雀の会")
    hidden = [
        make_activity("職員だけの見守り", visibility=Visibility.STAFF),
        make_activity("準備中のサロン", status=Status.DRAFT),
        make_activity("徳丸のお茶会", "tokumaru"),
    ]
    make_institution(phone="03-3936-0000")
    edition = make_edition()
    edition.left_out.set([left])
    assert services.make(edition, users["sc"], "http://testserver/")
    edition.refresh_from_db()
    assert edition.job_status == "done", edition.job_error
    return {"edition": edition, "shown": shown, "left": left, "hidden": hidden,
            "pdf": read(edition.pdf), "sheet": read(edition.sheet)}  # fmt: skip


def test_it_holds_the_included_activities_and_no_other(made: dict) -> None:
    text = flat(pdf_text(made["pdf"]))
    for activity in made["shown"]:
        assert flat(activity.name) in text, activity.name  # whole, even at 120 characters
    for activity in [made["left"], *made["hidden"]]:
        assert flat(activity.name) not in text, activity.name
    for words in ("シニアガイドブック", "はじめに", "もくじ", "五十音順", "曜日別",
                  "困ったときの相談先", "おとしより相談センター高島平", "03-3936-0000",
                  "毎週水曜14:00〜16:00", "高島平の生活支援コーディネーター"):  # fmt: skip
        assert flat(words) in text, words
    sheet = flat(pdf_text(made["sheet"]))
    assert all(flat(a.name) in sheet for a in made["shown"])
    assert flat(made["left"].name) not in sheet


def printed_pages(data: bytes) -> dict[int, str]:
    """Each page's text by the number printed at its foot (‐ 3 ‐); the front has none."""
    found: dict[int, str] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text() or ""
        if number := re.search(r"‐\s*(\d+)\s*‐", text):
            found[int(number[1])] = flat(text)
    return found


def test_the_contents_and_the_index_lead_to_the_printed_page(made: dict) -> None:
    pages = printed_pages(made["pdf"])
    assert min(pages) == 1 and sorted(pages) == list(range(1, len(pages) + 1))
    reader = PdfReader(io.BytesIO(made["pdf"]))
    front = flat(reader.pages[2].extract_text() or "")
    assert "もくじ" in front and not re.search(r"‐\s*\d+\s*‐", front)  # the front: unnumbered
    groups = [g for s in made["edition"].content["sections"] for g in s["groups"]]
    assert len(groups) >= 2
    for group in groups:  # もくじ: "サロン（3）1"
        entry = flat(f"{group['kind']}（{len(group['cards'])}）")
        shown = re.search(re.escape(entry) + r"(\d+)", front)
        assert shown, group["kind"]
        assert f"■{flat(group['kind'])}" in pages[int(shown[1])], group["kind"]
    index = next(text for text in pages.values() if "五十音順" in text)
    for card in [c for g in groups for c in g["cards"]][:3]:  # さくいん: "No.2 5ページ"
        page = re.search(rf"No\.{card['number']}(\d+)ページ", index)
        assert page and flat(card["name"]) in pages[int(page[1])], card["name"]


def test_the_edition_keeps_what_went_in(made: dict) -> None:
    kept = made["edition"].content
    assert kept["count"] == len(made["shown"])
    names = {c["name"] for s in kept["sections"] for g in s["groups"] for c in g["cards"]}
    assert names == {a.name for a in made["shown"]}


@needs_poppler
def test_fonts_are_embedded_with_a_fallback_for_what_biz_ud_lacks(
    made: dict, tmp_path: Path
) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(made["pdf"])
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows  # emb
    fonts = " ".join(rows)
    assert "BIZ-UDGothic" in fonts
    assert "Noto-Sans-CJK-JP" in fonts  # 𠮷
    assert "Noto-Color-Emoji" in fonts  # 😀
    assert "𠮷" in pdf_text(made["pdf"])


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools missing")
def test_each_qr_code_leads_to_its_activity(made: dict, tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(made["pdf"])
    run("pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page"))
    found: set[str] = set()
    for page in sorted(tmp_path.glob("page*.png")):
        out = run("zbarimg", "--quiet", "--raw", str(page), check=False)  # 4: no code on it
        found.update(line for line in out.splitlines() if line)
    wanted = {f"http://testserver/activities/{a.pk}/" for a in made["shown"]}
    assert found == wanted


def test_an_empty_region_makes_a_booklet_that_says_so(users: dict, read: Any) -> None:
    edition = make_edition("tokumaru")
    assert services.make(edition, users["block"])
    edition.refresh_from_db()
    text = flat(pdf_text(read(edition.pdf)))
    assert flat("いまこのガイドブックに載せられる活動がありません") in text
    assert "困ったときの相談先" in text
