"""Sharing a case or a question with the other municipalities of the installation (issue 27):
asked for, approved or refused (with a reason) by the ward, withdrawn. Views, the demo and
tests all go through these; each change is audited (the rows are Audited), and a case's steps
land in its history. Only a published case, and a question shown to the whole municipality,
can be shared; unpublishing or hiding withdraws it (Shareable.save)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.lib.actors import actor_name

from .models import AskedQuestion, Case, CaseStatus, CaseStep, ShareState

Shared = Case | AskedQuestion
REASON_LIMIT = 300


def _fresh[S: Shared](item: S) -> S:
    """The row again, locked until the step commits (two people deciding at once)."""
    manager: Any = type(item)._default_manager
    fresh: S = manager.select_for_update().select_related("area").get(pk=item.pk)
    return fresh


def shareable(item: Shared) -> bool:
    """A published case; a question not hidden, open to the whole municipality."""
    if isinstance(item, Case):
        return item.status == CaseStatus.PUBLISHED
    return item.hidden_at is None and item.block_id is None


def _save(item: Shared, by: Any, note: str, fields: list[str]) -> Shared:
    item.save(update_fields=fields)
    if isinstance(item, Case):
        CaseStep.record(by=by, case=item, status=item.status, note=note)
    return item


@transaction.atomic
def ask(item: Shared, *, by: Any) -> Shared:
    """Ask the ward to share `item` with the other municipalities."""
    item = _fresh(item)
    if not shareable(item):
        raise ValidationError(
            _("公開中の事例だけ共有を申請できます。")
            if isinstance(item, Case)
            else _("非表示の質問やブロックの合同検討は共有できません。")
        )
    if item.share_active:
        raise ValidationError(_("すでに共有を申請しているか、共有中です。"))
    item.share_state = ShareState.ASKED
    item.share_asked_at = timezone.now()
    item.share_asked_by_name = actor_name(by)
    item.share_refused_reason = ""
    fields = ["share_state", "share_asked_at", "share_asked_by_name", "share_refused_reason"]
    return _save(item, by, _("他の自治体への共有を申請しました。"), fields)


def _decide(item: Shared, by: Any, state: str, reason: str, note: str) -> Shared:
    item = _fresh(item)
    if item.share_state != ShareState.ASKED:
        raise ValidationError(_("共有を申請されているものだけ、承認や見送りができます。"))
    if not shareable(item):
        raise ValidationError(_("公開されていないため、共有できません。"))
    item.share_state = state
    item.share_decided_at = timezone.now()
    item.share_decided_by_name = actor_name(by)
    item.share_refused_reason = reason
    fields = ["share_state", "share_decided_at", "share_decided_by_name", "share_refused_reason"]
    return _save(item, by, note, fields)


@transaction.atomic
def approve(item: Shared, *, by: Any) -> Shared:
    """The ward approves: the other municipalities' staff read it from now on."""
    return _decide(item, by, ShareState.APPROVED, "", _("他の自治体への共有を承認しました。"))


@transaction.atomic
def refuse(item: Shared, reason: str, *, by: Any) -> Shared:
    """The ward refuses, saying why (the writer reads the reason)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("見送る理由を書いてください。"))
    if len(reason) > REASON_LIMIT:
        raise ValidationError(_("見送る理由は300文字までで書いてください。"))
    return _decide(item, by, ShareState.REFUSED, reason, _("他の自治体への共有を見送りました。"))


@transaction.atomic
def withdraw(item: Shared, *, by: Any) -> Shared:
    """Stop sharing (or take back the request): from this moment no other municipality
    reaches it, in any list, search or page."""
    item = _fresh(item)
    if not item.share_active:
        raise ValidationError(_("共有していないので、やめるものがありません。"))
    item.share_state = ShareState.WITHDRAWN
    item.share_withdrawn_at = timezone.now()
    item.share_withdrawn_by_name = actor_name(by)
    fields = ["share_state", "share_withdrawn_at", "share_withdrawn_by_name"]
    return _save(item, by, _("他の自治体への共有をやめました。"), fields)
