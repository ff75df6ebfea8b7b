from typing import Any

import pytest

from sasaeai.accounts.models import Membership, Role
from sasaeai.audit import log
from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.test import area, make_user

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_who_and_where(itabashi: Any) -> None:
    admin = make_user("a@example.jp", Role.ADMIN, "131199")
    token = set_actor(Actor(user=admin, ip="192.0.2.7"))
    try:
        user = make_user("m@example.jp")
        membership = Membership.objects.create(
            user=user, area=area("narimasu"), role=Role.REGION_SC
        )
        membership.role = Role.COUNCIL_MEMBER
        membership.save()
        pk = membership.pk
        membership.delete()
    finally:
        reset(token)
    entries = AuditEntry.objects.filter(model="accounts.Membership", object_id=str(pk))
    assert [e.action for e in entries.order_by("id")] == ["create", "update", "delete"]
    update = entries.get(action="update")
    assert update.changed_fields == ["role"]
    assert update.actor == "a@example.jp" and update.ip == "192.0.2.7"
    assert update.area_path == "131199/blk-akatsuka/narimasu"
    assert update.municipality_code == "131199"


def test_an_unchanged_save_records_no_fields(itabashi: Any) -> None:
    membership = make_user("m@example.jp", Role.COUNCIL_MEMBER, "narimasu").memberships.get()
    membership.save()
    update = AuditEntry.objects.get(action="update", model="accounts.Membership")
    assert update.changed_fields == []


def test_the_log_is_append_only(itabashi: Any) -> None:
    make_user("m@example.jp", Role.COUNCIL_MEMBER, "narimasu")
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.detail = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(detail="x")


def test_user_changes_name_fields_never_values(itabashi: Any) -> None:
    user = make_user("m@example.jp")
    user.set_password("a-new-secret-password")
    user.save()
    entry = AuditEntry.objects.get(action="update", model="accounts.User")
    assert entry.changed_fields == ["password"]
    assert "a-new-secret-password" not in str(entry.__dict__) and user.password not in str(
        entry.__dict__
    )


def test_stamping_last_login_is_not_an_update(itabashi: Any) -> None:
    from django.contrib.auth.models import update_last_login

    user = make_user("m@example.jp")
    update_last_login(type(user), user)
    assert not AuditEntry.objects.filter(action="update", model="accounts.User").exists()


def test_batched_entries_are_written_together_when_the_block_ends(itabashi: Any) -> None:
    admin = make_user("a@example.jp", Role.ADMIN, "131199")
    before = AuditEntry.objects.count()
    token = set_actor(Actor(user=admin, ip="192.0.2.7"))
    try:
        with log.batched():
            membership = Membership.objects.create(
                user=admin, area=area("narimasu"), role=Role.REGION_SC
            )
            log.record(Action.READ, detail="export")
            assert AuditEntry.objects.count() == before  # not yet
    finally:
        reset(token)
    entries = AuditEntry.objects.filter(pk__gt=0).order_by("id")[before:]
    assert [(e.action, e.object_id, e.actor, e.ip) for e in entries] == [
        ("create", str(membership.pk), "a@example.jp", "192.0.2.7"),
        ("read", "", "a@example.jp", "192.0.2.7"),
    ]
    assert entries[0].area_path == "131199/blk-akatsuka/narimasu"


def test_a_batch_that_fails_writes_neither_its_records_nor_their_entries(itabashi: Any) -> None:
    user = make_user("m@example.jp")
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), log.batched():
        Membership.objects.create(user=user, area=area("narimasu"), role=Role.REGION_SC)
        raise RuntimeError
    assert not Membership.objects.exists() and AuditEntry.objects.count() == before
