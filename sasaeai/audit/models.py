from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.paths import under


class Audited(models.Model):
    """Base for every domain model: its writes land in the audit log.

    Remembers the values it was loaded with so that an update records which
    fields changed. Only field names are ever recorded, never values.
    """

    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    _audit_loaded: dict[str, Any]

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    def audit_changed_fields(self) -> list[str]:
        loaded: dict[str, Any] = getattr(self, "_audit_loaded", {})
        changed = []
        for field in self._meta.concrete_fields:
            if field.name in self.audit_exclude or field.attname not in loaded:
                continue
            if loaded[field.attname] != getattr(self, field.attname):
                changed.append(field.name)
        return changed

    @property
    def audit_area(self) -> Any:
        """The Area this record belongs to; models without an `area` field override this."""
        return getattr(self, "area", None)


class Action(models.TextChoices):
    CREATE = "create", _("作成")
    UPDATE = "update", _("更新")
    DELETE = "delete", _("削除")
    READ = "read", _("閲覧")
    LOGIN = "login", _("ログイン")
    LOGOUT = "logout", _("ログアウト")
    LOGIN_FAILED = "login_failed", _("ログイン失敗")
    LOCKED_OUT = "locked_out", _("ロックアウト")
    SESSION_EXPIRED = "session_expired", _("セッション期限切れ")
    DENIED = "denied", _("アクセス拒否")
    CSRF_FAILED = "csrf_failed", _("不正な送信（CSRF）")


class Result(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒否")
    FAILED = "failed", _("失敗")


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def visible_under(self, paths: list[str]) -> AppendOnlyQuerySet:
        """Entries of these areas; a municipality's root also sees its sign-ins and refusals."""
        roots = [path for path in paths if "/" not in path]
        q = under([path for path in paths if "/" in path], "area_path")
        return self.filter(q | models.Q(municipality_code__in=roots) if roots else q)

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Entries outlive their user: no constraint, and nothing ever rewrites them.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor = models.CharField(_("操作した人"), max_length=254, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    model = models.CharField(_("対象"), max_length=100, blank=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("変更した項目"), default=list, blank=True)
    municipality_code = models.CharField(max_length=40, blank=True, db_index=True)
    area_path = models.CharField(_("地域"), max_length=400, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    result = models.CharField(_("結果"), max_length=10, choices=Result.choices)
    detail = models.CharField(_("詳細"), max_length=400, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality_code", "-at"], name="audit_muni_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.model}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")
