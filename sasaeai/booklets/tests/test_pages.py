"""The pages: found from the staff home and the council page; an SC makes an edition, writes
its texts, picks its activities and コラム, previews it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.booklets.models import Edition
from sasaeai.councils.tests.builders import make_council
from sasaeai.directory.tests.builders import make_activity

from .builders import make_column, make_edition, png

pytestmark = pytest.mark.django_db


def as_(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_staff_find_it_from_their_home_and_the_council_page(client: Client, users: dict) -> None:
    council = make_council("takashimadaira")
    as_(client, users["sc"])
    assert "/staff/booklets/" in client.get("/staff/").content.decode()
    page = client.get(f"/staff/councils/{council.pk}/").content.decode()
    assert "/staff/booklets/takashimadaira/" in page
    # One region: straight to its page.
    assert client.get("/staff/booklets/")["Location"] == "/staff/booklets/takashimadaira/"


def test_an_sc_makes_an_edition_and_picks_its_activities(client: Client, users: dict) -> None:
    kept, dropped = make_activity("朝の体操"), make_activity("夜の麻雀")
    make_activity("職員だけの会", visibility="staff")
    as_(client, users["sc"])
    response = client.post("/staff/booklets/takashimadaira/", {"fiscal_year": "2026"})
    edition = Edition.objects.get()
    assert response["Location"] == edition.get_absolute_url()
    page = client.get(f"/staff/booklets/editions/{edition.pk}/activities/").content.decode()
    assert "朝の体操" in page and "夜の麻雀" in page and "職員だけの会" not in page
    client.post(f"/staff/booklets/editions/{edition.pk}/activities/", {"included": [kept.pk]})
    assert list(edition.left_out.all()) == [dropped]
    preview = client.get(f"/staff/booklets/editions/{edition.pk}/preview/").content.decode()
    assert "朝の体操" in preview and "夜の麻雀" not in preview
    # A second edition of the same 年度 is the same one.
    client.post("/staff/booklets/takashimadaira/", {"fiscal_year": "2026"})
    assert Edition.objects.count() == 1


def test_columns_with_a_photo_and_one_that_is_not_an_image(client: Client, users: dict) -> None:
    edition = make_edition()
    make_column(edition, "写真のあるコラム", photo=png())
    broken = make_column(edition, "壊れた写真のコラム", photo=b"not an image at all")
    gone = make_column(edition, "消えた写真のコラム", photo=png())
    gone.photo.storage.delete(gone.photo.name or "")
    as_(client, users["sc"])
    page = client.get(f"/staff/booklets/editions/{edition.pk}/preview/").content.decode()
    assert "写真のあるコラム" in page and "data:image/png;base64" in page
    assert "画像として読めないため、載せていません" in page
    assert "見つからないため、載せていません" in page
    assert broken.title in page and gone.title in page


def test_a_column_is_written_through_the_form(client: Client, users: dict) -> None:
    edition = make_edition()
    as_(client, users["sc"])
    data = {"columns-TOTAL_FORMS": "1", "columns-INITIAL_FORMS": "0",
            "columns-0-title": "民生委員さんの話", "columns-0-body": "見守りの工夫",
            "columns-0-position": "1", "columns-0-photo_caption": ""}  # fmt: skip
    response = client.post(f"/staff/booklets/editions/{edition.pk}/columns/", data)
    assert response.status_code == 302
    assert edition.columns.get().title == "民生委員さんの話"


def test_markup_in_a_text_is_refused_in_words(client: Client, users: dict) -> None:
    edition = make_edition()
    as_(client, users["sc"])
    data = {"title": "ガイド", "welcome": "<script>x</script>"}
    response = client.post(f"/staff/booklets/editions/{edition.pk}/texts/", data)
    assert response.status_code == 200
    assert "タグ" in response.content.decode()
