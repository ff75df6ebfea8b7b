"""Deleting a draft that was never published; a published event is called off instead."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from sasaeai.events.models import Event, Material

from .builders import make_event


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client: Client, itabashi: object) -> None:
    event = make_event(published=False)
    response = client.post(f"/staff/events/{event.pk}/delete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Event.objects.exists()


@pytest.mark.django_db
def test_ward_staff_delete_a_draft_with_its_materials(
    client: Client, users: dict, settings: Any, tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    event = make_event(published=False, title="準備中の研修")
    material = Material(event=event, title="案")
    material.file.save("an.pdf", ContentFile(b"%PDF-1.4"))
    stored = tmp_path / material.file.name
    assert stored.exists()
    client.force_login(users["ward"])
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "下書きを削除する" in page and "中止にする" not in page
    page = client.get(f"/staff/events/{event.pk}/delete/").content.decode()
    assert "準備中の研修" in page and "取り消せません" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/events/{event.pk}/delete/")
    assert response["Location"] == "/staff/events/"
    assert "下書き「準備中の研修」を削除しました" in client.get("/staff/events/").content.decode()
    assert not Event.objects.exists() and not Material.objects.exists()
    assert not stored.exists()


@pytest.mark.django_db
def test_a_published_event_is_not_deleted(client: Client, users: dict) -> None:
    event = make_event()
    client.force_login(users["ward"])
    assert "下書きを削除する" not in client.get(f"/staff/events/{event.pk}/").content.decode()
    response = client.post(f"/staff/events/{event.pk}/delete/")
    assert "中止にしてください" in client.get(response["Location"]).content.decode()
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_only_those_who_manage_the_area_may_delete(client: Client, users: dict) -> None:
    ward_draft = make_event("131199", published=False)
    block_draft = make_event("blk-akatsuka", "block-liaison", published=False)
    client.force_login(users["sc"])  # a draft is seen by nobody it is for
    assert client.post(f"/staff/events/{ward_draft.pk}/delete/").status_code == 404
    client.force_login(users["other_admin"])
    assert client.post(f"/staff/events/{ward_draft.pk}/delete/").status_code == 404
    client.force_login(users["member"])
    assert client.post(f"/staff/events/{ward_draft.pk}/delete/").status_code == 403
    client.force_login(users["block"])
    assert client.post(f"/staff/events/{ward_draft.pk}/delete/").status_code == 404
    assert client.post(f"/staff/events/{block_draft.pk}/delete/").status_code == 302
    assert list(Event.objects.all()) == [ward_draft]
