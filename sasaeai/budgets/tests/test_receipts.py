"""Receipts: PDF/JPEG/PNG only, size-limited, served only to those who see the budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.budgets.forms import MAX_RECEIPT_BYTES
from sasaeai.budgets.models import Expense

from .builders import PDF, PNG, YEAR, category, make_budget, pdf_file

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def post_expense(client: Client, budget: Any, upload: Any) -> Any:
    data = {"spent_on": f"{YEAR}-05-01", "category": category().pk, "item": "会場費",
            "amount": "2000", "receipt": upload}  # fmt: skip
    return client.post(f"{BASE}{budget.council_id}/{YEAR}/expenses/new/", data)


def test_receipt_is_stored_privately_and_served_by_the_view(
    client: Client, users: dict, tmp_path: Path
) -> None:
    budget = make_budget()
    client.force_login(users["sc"])
    assert post_expense(client, budget, pdf_file("領収書 5月.pdf")).status_code == 302
    expense = Expense.objects.get()
    assert expense.receipt_name == "領収書 5月.pdf" and expense.receipt_type == "application/pdf"
    stored = tmp_path / str(expense.receipt.name)
    assert stored.read_bytes() == PDF and "領収書" not in str(expense.receipt.name)
    with pytest.raises(ValueError, match="no public URL"):
        _ = expense.receipt.url
    for name in ("sc", "member", "block", "ward"):
        client.force_login(users[name])
        response = client.get(f"{BASE}expenses/{expense.pk}/receipt/")
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
    for name in ("other_sc", "other_admin"):
        client.force_login(users[name])
        assert client.get(f"{BASE}expenses/{expense.pk}/receipt/").status_code == 404, name
    client.logout()
    assert client.get(f"{BASE}expenses/{expense.pk}/receipt/").status_code == 302


@pytest.mark.parametrize(
    ("upload", "message"),
    [(SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "PDF・JPEG・PNG"),
     (SimpleUploadedFile("fake.pdf", b"<html>not a pdf"), "PDF・JPEG・PNG"),
     (SimpleUploadedFile("photo.png", PDF), "PDF・JPEG・PNG"),
     (SimpleUploadedFile("big.png", PNG + b"\x00" * MAX_RECEIPT_BYTES), "5MBまで")],
)  # fmt: skip
def test_bad_receipts_are_refused(
    client: Client, users: dict, upload: Any, message: str, tmp_path: Path
) -> None:
    budget = make_budget()
    client.force_login(users["sc"])
    response = post_expense(client, budget, upload)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Expense.objects.exists() and not any(tmp_path.rglob("*.*"))


def test_replacing_and_deleting_remove_old_files(
    client: Client, users: dict, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget()
    client.force_login(users["sc"])
    post_expense(client, budget, pdf_file())
    expense = Expense.objects.get()
    first = tmp_path / str(expense.receipt.name)
    data = {"spent_on": f"{YEAR}-05-01", "category": category().pk, "item": "会場費",
            "amount": "2000", "receipt": SimpleUploadedFile("r.png", PNG)}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{BASE}expenses/{expense.pk}/", data).status_code == 302
    expense.refresh_from_db()
    assert not first.exists() and expense.receipt_type == "image/png"
    second = tmp_path / str(expense.receipt.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}expenses/{expense.pk}/delete/")
    assert not second.exists() and not Expense.objects.exists()
