"""Personal access tokens for the staff API. A token acts as the person who made it, with no
more than the scopes it was given: what it may read or change is still decided by
accounts/access.py from that person's roles. Only a digest of the secret is kept."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

LONGEST = dt.timedelta(days=365)


class Scope(models.TextChoices):
    """What a token may do: read or write the records of one part of sasaeai."""

    DIRECTORY_READ = "directory:read", _("活動・場所・日程を見る")
    DIRECTORY_WRITE = "directory:write", _("活動・場所・日程を登録・変更する")
    COUNCILS_READ = "councils:read", _("支え合い会議・会議を見る")
    COUNCILS_WRITE = "councils:write", _("会議と議事録を登録・変更する")
    NEEDS_READ = "needs:read", _("困りごとを見る")
    NEEDS_WRITE = "needs:write", _("困りごとの状況を変える")
    EVENTS_READ = "events:read", _("研修・催しと申込みを見る")
    EVENTS_WRITE = "events:write", _("研修・催しと申込みを登録・変更する")
    SUPPORT_READ = "support:read", _("支援の依頼を見る")
    SUPPORT_WRITE = "support:write", _("支援の依頼を登録・変更する")


class TokenQuerySet(models.QuerySet["Token"]):
    def usable(self) -> TokenQuerySet:
        """Not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class Token(Audited):
    # Each use stamps last_used_at; the use itself is not a change to the token.
    audit_exclude = frozenset({"last_used_at"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    municipality = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("自治体")
    )
    name = models.CharField(_("名前"), max_length=100)
    prefix = models.CharField(_("トークンの先頭"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("できること"), default=list)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"))
    last_used_at = models.DateTimeField(_("最後に使った日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取り消した日時"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_area(self) -> Area:
        return self.municipality

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        return [str(label) for value, label in Scope.choices if value in self.scopes]
