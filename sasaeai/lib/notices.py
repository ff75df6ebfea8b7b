"""In-app notices ("there is news" markers) and the one way their mail is written and sent.

Each app keeps its own notice table (a referral's, an event's, a request's notice), built on
NoticeBase: whom it is for, when it came, when it was read. A notice has no content of its
own, and neither has its mail: a subject, one lead line and a link to the page, where the
reader signs in to see the rest. Never a name, an address or what anyone wrote: mail leaves
our hands, and a forwarded or misdelivered message must tell nobody anything.

No mail leaves a request: `notify` queues a task after commit, and the task worker sends
(lib/tasks.py), as events' own tasks send theirs with the same Message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Self

from django.conf import settings
from django.core import mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _


class NoticeQuerySet[N: NoticeBase](models.QuerySet[N]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark the unread ones read now; those read before keep their time."""
        return self.unread().update(read_at=timezone.now())


def recipient(related_name: str) -> Any:
    """A notice's `user` field. Each notice model declares it with its own reverse accessor
    (`user.referral_notices`): a name with %(app_label)s would be stored in the migrations
    as written and change every existing notice table's state."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=related_name
    )


class NoticeBase(models.Model):
    """One user's marker that a record has news for them, unread until they open it. The
    model adds `user = recipient("<app>_notices")` and the record the notice is about."""

    user: Any
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class Message:
    """A notice's mail: `lead` says what happened in one line, `details` may add lines that
    are public anyway (an event's title and date), `link` is absolute (lib/links.py)."""

    subject: str
    lead: str
    link: str
    details: Sequence[str] = ()

    @property
    def body(self) -> str:
        if self.details:
            closing = _("詳しくは、ログインしてご覧ください。")
            parts = [self.lead, "\n".join(self.details)]
        else:
            closing = _(
                "内容は、ログインしてからご確認ください。このメールには内容を書いていません。"
            )
            parts = [self.lead]
        return "\n\n".join([*parts, f"{closing}\n{self.link}"]) + "\n"

    def send(self, users: Iterable[Any]) -> int:
        """One mail to each user with an address (nobody learns who else was told); return
        how many went."""
        sent = 0
        for user in users:
            if user.email:
                mail.send_mail(self.subject, self.body, settings.DEFAULT_FROM_EMAIL, [user.email])
                sent += 1
        return sent


def recipients(users: Iterable[Any], but: Any = None) -> list[Any]:
    """The active users among `users`, each once, in order; without None and without `but`
    (who took the step needs no telling)."""
    chosen: dict[int, Any] = {}
    for user in users:
        if user is not None and user.is_active and user != but:
            chosen.setdefault(user.pk, user)
    return list(chosen.values())


def notify[N: NoticeBase](
    users: Iterable[Any], model: type[N], message: Message, *, but: Any = None, **about: Any
) -> list[N]:
    """Tell each active user (once, `but` excepted) that there is news about a record: an
    unread `model` notice with the fields `about` (e.g. referral=…) and, once the transaction
    is kept, one task that mails `message` (lib.tasks.send_notice_mail: the users' ids and the
    message's texts, which must name nobody). A step that is rolled back queues nothing; a
    mail server that fails is the worker's to log and does not undo the step, which is kept
    and shown in the app."""
    told = recipients(users, but)
    if not told:
        return []
    notices = [model(user=u, **about) for u in told]
    model._default_manager.bulk_create(notices)
    user_ids = [u.pk for u in told]
    details = list(message.details)

    def enqueue() -> None:
        from .tasks import send_notice_mail  # the tasks module imports this one

        send_notice_mail.enqueue(user_ids, message.subject, message.lead, message.link, details)

    transaction.on_commit(enqueue, robust=True)
    return notices
