"""Two staff edit the same booklet edition at once (its texts, or which activities it holds):
the second to save is told, nothing of theirs is written, and a second press after looking
saves (lib/optimistic.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.booklets.models import Column, Edition
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.tests.conflicts import TOLD, opened, second_saver_is_told

from .builders import make_column, make_edition

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_booklets_texts_is_told(users: dict) -> None:
    edition = make_edition()
    second_saver_is_told(
        f"/staff/booklets/editions/{edition.pk}/texts/", (users["sc"], users["block"]),
        "welcome", ("高島平の集まりを地図と紹介します。", "近くの集まりをのぞいてみませんか。"),
        lambda: Edition.objects.get(pk=edition.pk).welcome,
    )  # fmt: skip


def test_the_second_saver_of_a_booklets_activities_is_told(users: dict) -> None:
    edition = make_edition()
    salon, walk = make_activity("いきいきサロン"), make_activity("朝のウォーキング")

    def included() -> str:
        left_out = set(edition.left_out.values_list("pk", flat=True))
        return ",".join(str(a.pk) for a in (salon, walk) if a.pk not in left_out)

    second_saver_is_told(
        f"/staff/booklets/editions/{edition.pk}/activities/", (users["sc"], users["block"]),
        "included", (str(salon.pk), str(walk.pk)), included,
    )  # fmt: skip


def test_the_second_saver_of_a_booklets_columns_is_told(users: dict) -> None:
    edition = make_edition()
    column = make_column(edition, "地域のはなし")
    second_saver_is_told(
        f"/staff/booklets/editions/{edition.pk}/columns/", (users["sc"], users["block"]),
        "columns-0-title", ("高島平の夏まつり", "みんなの体操教室"),
        lambda: Column.objects.get(pk=column.pk).title,
    )  # fmt: skip


def test_a_column_added_meanwhile_is_named_to_the_second_saver(users: dict) -> None:
    edition = make_edition()
    make_column(edition, "地域のはなし")
    url = f"/staff/booklets/editions/{edition.pk}/columns/"
    first, second = Client(), Client()
    mine, theirs = opened(first, users["sc"], url), opened(second, users["block"], url)
    added = {**mine, "columns-1-title": "商店街の声", "columns-1-body": "本文です。"}
    assert first.post(url, added).status_code == 302
    refused = second.post(url, {**theirs, "columns-0-body": "書き直しました。"})
    page = refused.content.decode()
    assert refused.status_code == 409 and TOLD in page
    assert "商店街の声" in page and "（ほかの人が加えました）" in page
    assert list(Column.objects.filter(edition=edition).values_list("body", flat=True)) == [
        "本文です。",
        "本文です。",
    ]
