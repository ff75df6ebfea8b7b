from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .log import record
from .models import Action, Audited, Result


@receiver(post_save)
def audit_save(
    sender: type,
    instance: Any,
    created: bool,
    raw: bool = False,
    update_fields: Any = None,
    **kw: Any,
) -> None:
    if raw or not isinstance(instance, Audited):
        return
    if update_fields and set(update_fields) <= instance.audit_exclude:
        return
    if created:
        record(Action.CREATE, obj=instance)
    else:
        changed = instance.audit_changed_fields()
        record(Action.UPDATE, obj=instance, changed_fields=changed)
    # The saved state is the new baseline for the next update of this instance.
    instance._audit_loaded = {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


@receiver(post_delete)
def audit_delete(sender: type, instance: Any, **kw: Any) -> None:
    if isinstance(instance, Audited):
        record(Action.DELETE, obj=instance)


@receiver(user_logged_in)
def audit_login(sender: type, request: Any, user: Any, **kw: Any) -> None:
    record(Action.LOGIN, user=user)


@receiver(user_logged_out)
def audit_logout(sender: type, request: Any, user: Any, **kw: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, user=user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: type, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    record(Action.LOGIN_FAILED, result=Result.FAILED, detail=f"login={attempted[:200]}")


@receiver(user_locked_out)
def audit_locked_out(sender: Any, request: Any, username: str | None = None, **kw: Any) -> None:
    record(Action.LOCKED_OUT, result=Result.DENIED, detail=f"login={(username or '')[:200]}")
