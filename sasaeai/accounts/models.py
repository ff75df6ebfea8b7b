from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.paths import under


class Capability(models.TextChoices):
    VIEW = "view", _("閲覧")
    EDIT = "edit", _("編集")
    PUBLISH = "publish", _("公開")
    MANAGE_MEMBERS = "manage_members", _("利用者と役割の管理")
    VIEW_AUDIT = "view_audit", _("操作記録の閲覧")
    HANDLE_REFERRALS = "handle_referrals", _("つなぎ（専門職への相談）の取扱い")


class Role(models.TextChoices):
    ADMIN = "admin", _("自治体の管理者")
    WARD_STAFF = "ward_staff", _("区・社協の職員")
    BLOCK_SC = "block_sc", _("ブロックのコーディネーター")
    REGION_SC = "region_sc", _("地域のコーディネーター（SC）")
    COUNCIL_MEMBER = "council_member", _("支え合い会議のメンバー")
    INSTITUTION_STAFF = "institution_staff", _("専門機関の職員")


C = Capability
# Roles name capabilities; code asks for a capability, never for a job title.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({C.VIEW, C.EDIT, C.PUBLISH, C.MANAGE_MEMBERS, C.VIEW_AUDIT}),
    Role.WARD_STAFF: frozenset({C.VIEW, C.EDIT, C.PUBLISH}),
    Role.BLOCK_SC: frozenset({C.VIEW, C.EDIT, C.PUBLISH}),
    Role.REGION_SC: frozenset({C.VIEW, C.EDIT, C.PUBLISH, C.HANDLE_REFERRALS}),
    Role.COUNCIL_MEMBER: frozenset({C.VIEW}),
    Role.INSTITUTION_STAFF: frozenset({C.HANDLE_REFERRALS}),
}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(Audited, AbstractBaseUser, PermissionsMixin):
    # Signing in stamps last_login; the sign-in itself is what the log records.
    audit_exclude = frozenset({"last_login"})

    email = models.EmailField(_("メールアドレス"), unique=True)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "municipality"},
        related_name="+",
        verbose_name=_("所属自治体"),
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理サイトを使える"), default=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def audit_area(self) -> Area | None:
        return self.municipality


class MembershipQuerySet(models.QuerySet["Membership"]):
    def within(self, area: Area) -> MembershipQuerySet:
        return self.filter(under(area.path, "area__path"))


class Membership(Audited):
    """A role held on an area, and so on everything below that area."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("役割"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        ordering = ["area__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.area} / {self.get_role_display()}"

    @property
    def capabilities(self) -> frozenset[str]:
        return ROLE_CAPABILITIES[self.role]

    @property
    def audit_area(self) -> Area:
        return self.area
