"""Demo photos for a few meetings' minutes: simple pictures drawn with Pillow (a table with
people around it), the same on every load, stored through lib/photos.py like an upload."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from sasaeai.lib import photos
from sasaeai.lib.fiscal import fiscal_year_of

from .models import Meeting, MeetingPhoto, MinutesStatus

REGION = "takashimadaira"
CAPTIONS = [
    "グループに分かれて、地域の困りごとを出し合いました",
    "活動マップの案を囲んで話し合いました",
    "サロンの代表の方から活動を紹介していただきました",
]
SKY = [(225, 238, 250), (250, 240, 220), (232, 245, 228)]


def picture(seed: int) -> bytes:
    """A meeting drawn plainly: a table and people around it, in colours chosen by `seed`."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 640), SKY[seed % len(SKY)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 960, 640), fill=(200, 185, 160))  # the floor
    draw.rounded_rectangle((250, 330, 710, 450), radius=24, fill=(150, 110, 70))  # the table
    for n in range(6):
        x = 200 + n * 112 + rng.randint(-10, 10)
        colour = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
        draw.ellipse((x - 34, 190, x + 34, 258), fill=(240, 205, 170))  # a head
        draw.rounded_rectangle((x - 48, 262, x + 48, 380), radius=30, fill=colour)  # a body
    draw.rectangle((380, 360, 580, 400), fill=(250, 250, 245))  # a map on the table
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_demo_photos(held: list[Meeting]) -> None:
    """A photo on the region's two latest approved meetings, and on the last one of the
    年度 before (whose approved report chooses it: reports/demo.py)."""
    approved = list(
        Meeting.objects.filter(
            pk__in=[m.pk for m in held], council__area__code=REGION,
            minutes__status=MinutesStatus.APPROVED,
        ).order_by("date")
    )  # fmt: skip
    if not approved:
        return
    this_year = fiscal_year_of(approved[-1].date)
    before = [m for m in approved if fiscal_year_of(m.date) < this_year][-1:]
    for n, meeting in enumerate([*before, *approved[-2:]]):
        upload = ContentFile(picture(n), name="demo.png")
        upload.size = len(upload)
        MeetingPhoto.objects.create(
            meeting=meeting, caption=CAPTIONS[n], image=photos.resized_photo(upload)
        )
