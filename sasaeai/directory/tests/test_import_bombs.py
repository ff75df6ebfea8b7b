"""The import pages refuse a spreadsheet built to make the import burn CPU or memory (issue 21,
finding 3): nothing is staged, nothing written. The hostile workbooks and how the reader refuses
them are in sasaeai/lib/tests/test_imports_bombs.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sasaeai.directory.models import Activity
from sasaeai.lib.tests.test_imports_bombs import TOO_MUCH, row, sixty_megabytes, strings, workbook
from sasaeai.referrals import transfer as institutions
from sasaeai.referrals.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def staged(media: Path) -> list[Path]:
    return list((media / "imports").glob("*")) if (media / "imports").exists() else []


# --- Through the import pages: refused, nothing staged, nothing written -----------------------


def test_the_activity_import_refuses_a_shared_strings_bomb(
    client: Client, users: dict, media: Path
) -> None:
    client.force_login(users["sc"])
    data = sixty_megabytes()
    response = client.post(
        reverse("transfer:upload"), {"file": SimpleUploadedFile("活動.xlsx", data)}
    )
    assert response.status_code == 200 and TOO_MUCH in response.content.decode()
    assert not Activity.objects.exists() and staged(media) == []


def test_the_institution_import_refuses_millions_of_empty_rows(
    client: Client, users: dict, media: Path
) -> None:
    client.force_login(users["ward"])
    data = workbook([row(1, *institutions.COLUMNS), row(1_048_576, "", "", "名前")])
    response = client.post(
        "/staff/referrals/manage/transfer/", {"file": SimpleUploadedFile("機関.xlsx", data)}
    )
    assert response.status_code == 400
    assert "2,000 行までです。空の行が多すぎます" in response.content.decode()
    assert not Institution.objects.exists() and staged(media) == []


def test_the_institution_import_refuses_a_shared_strings_bomb(
    client: Client, users: dict, media: Path
) -> None:
    client.force_login(users["ward"])
    data = workbook([row(1, *institutions.COLUMNS)],
                    shared=strings(*(f"<si><t>{n}</t></si>" for n in range(100_000))))  # fmt: skip
    response = client.post(
        "/staff/referrals/manage/transfer/", {"file": SimpleUploadedFile("機関.xlsx", data)}
    )
    assert response.status_code == 400 and TOO_MUCH in response.content.decode()
    assert not Institution.objects.exists() and staged(media) == []
