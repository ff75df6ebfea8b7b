"""A printed document reaches neither the network nor the disk: only inline (data:) images
are drawn, whatever address a text or template holds."""

from __future__ import annotations

import base64
import io

from PIL import Image
from pypdf import PdfReader

from sasaeai.lib import pdf


def png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "black").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def images_in(markup: str) -> int:
    data = pdf.html(f"<p>写真</p>{markup}", "http://127.0.0.1:9/").write_pdf()
    page = PdfReader(io.BytesIO(data)).pages[0]
    return len(page.images)


def test_an_inline_image_is_drawn() -> None:
    assert images_in(f'<img src="{png()}" alt="">') == 1


def test_no_address_outside_the_document_is_fetched(tmp_path) -> None:
    picture = tmp_path / "secret.png"
    picture.write_bytes(base64.b64decode(png().split(",")[1]))
    for src in (f"file://{picture}", "http://127.0.0.1:9/a.png", "/media/a.png", "a.png"):
        assert images_in(f'<img src="{src}" alt="">') == 0, src
