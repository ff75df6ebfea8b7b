"""A booklet of many activities is made by the task worker: the page shows its progress, a
second request while it runs starts nothing, and who asked is told when it is done."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from sasaeai.booklets import services
from sasaeai.booklets.models import Notice
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import run_tasks

from .builders import make_edition, pdf_text

pytestmark = pytest.mark.django_db


def test_the_ward_booklet_is_made_in_the_background(
    client: Client,
    users: dict,
    read: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(services, "AT_ONCE", 1)
    make_activity("高島平のサロン")
    make_activity("板橋の体操", "itabashi")
    edition = make_edition("131199")
    client.force_login(users["ward"])
    url = f"/staff/booklets/editions/{edition.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}make/")
        client.post(f"{url}make/")  # while the first is queued: nothing more
    assert DBTaskResult.objects.count() == 1
    edition.refresh_from_db()
    assert edition.job_status == "queued"
    page = client.get(url).content.decode()
    assert "<progress" in page and "最新の状況を見る" in page and 'hx-get="' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("{") is False and "<html" not in fragment
    assert "job-progress" in fragment

    with django_capture_on_commit_callbacks(execute=True):
        assert run_tasks() == 1
    edition.refresh_from_db()
    assert edition.job_status == "done"
    text = pdf_text(read(edition.pdf))
    assert "高島平のサロン" in text and "板橋の体操" in text
    assert Notice.objects.filter(user=users["ward"], edition=edition, read_at=None).exists()
    assert "お知らせ 1 件" in client.get("/staff/").content.decode()
    page = client.get(url).content.decode()
    assert f"{url}guidebook.pdf" in page and "hx-get" not in page
    assert not Notice.objects.filter(read_at=None).exists()  # read on its page
