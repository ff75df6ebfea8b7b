"""The organisers' network of a region (つながる): joining it, leaving it, and the SC's
messages to it.

- Joining is recorded by staff who asked the organiser (who, and the day they checked): an
  activity of the region with a contact name and a phone or an e-mail address.
- Leaving: staff take an organiser out, or the organiser presses 「ネットワークから外れる」 on
  their message page. The row stays, with when and how; joining again reuses it.
- A message is stored with one recipient per chosen organiser, each with their own secret
  link that expires (LINK_LIFETIME). After commit, one task (network_tasks.send_network_mail,
  its payload recipient ids only) mails those with an address that there is a message, and
  the link: never the message, nor anyone's name. Those without an address are the SC's to
  phone or hand the printed sheet to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.lib import links

from .models import (
    LINK_LIFETIME,
    Activity,
    LeftHow,
    NetworkMember,
    NetworkMemberQuerySet,
    NetworkMessage,
    NetworkRecipient,
    region_of,
)


def members(region: Area) -> NetworkMemberQuerySet:
    """The organisers in the region's network now, with their activities, in listing order."""
    return NetworkMember.objects.active().within(region).select_related("activity")


def may_join(activity: Activity) -> bool:
    """An organiser can be reached: a contact name, and a phone or an e-mail address."""
    return bool(activity.contact_name and (activity.contact_phone or activity.contact_email))


def candidates(region: Area) -> list[Activity]:
    """The region's running activities not in its network now, and those in it whose contact
    changed since the organiser agreed (to record a new check)."""
    current = list(members(region))
    keep = {m.activity_id for m in current} - {m.activity_id for m in changed(current)}
    activities = Activity.objects.within(region).live().exclude(pk__in=keep)
    return list(activities.order_by("kana", "name"))


CONTACT_FIELDS = {"contact_name", "contact_phone", "contact_email"}


def changed(current: list[NetworkMember]) -> list[NetworkMember]:
    """The members whose activity's contact was changed after they joined (the audit log
    names the fields changed): whoever agreed may not be whom the list now names."""
    if not current:
        return []
    by_activity = {str(m.activity_id): m for m in current}
    entries = AuditEntry.objects.filter(
        model="directory.Activity",
        object_id__in=list(by_activity),
        action=Action.UPDATE,
        at__gt=min(m.joined_at for m in current),
    ).values_list("object_id", "at", "changed_fields")
    found = {
        by_activity[oid].pk
        for oid, at, fields in entries
        if at > by_activity[oid].joined_at and CONTACT_FIELDS & set(fields or [])
    }
    return [m for m in current if m.pk in found]


def join(activity: Activity, checked_on: dt.date, by: Any) -> NetworkMember:
    """Record that the organiser agreed (checked by `by` on `checked_on`) to join."""
    member = NetworkMember.objects.filter(activity=activity).first() or NetworkMember(
        activity=activity
    )
    member.checked_on = checked_on
    member.joined_at = timezone.now()
    member.recorded_by = by
    member.left_at = None
    member.left_how = ""
    member.left_recorded_by = None
    member.save()
    return member


def leave(member: NetworkMember, by: Any = None) -> None:
    """Take the organiser out of the network: by staff (`by`), or by themselves (None).
    Their links stop showing the list at once."""
    if member.left_at is not None:
        return
    member.left_at = timezone.now()
    member.left_how = LeftHow.STAFF if by is not None else LeftHow.ORGANISER
    member.left_recorded_by = by
    member.save(update_fields=["left_at", "left_how", "left_recorded_by"])


@dataclass(frozen=True)
class Sent:
    message: NetworkMessage
    by_mail: int
    by_hand: int  # recipients without an address: to phone, or to hand the printed sheet


def send(region: Area, body: str, chosen: list[NetworkMember], by: Any) -> Sent:
    """Store the message and its recipients, and queue the mail to those with an address."""
    now = timezone.now()
    message = NetworkMessage.objects.create(area=region, body=body, sent_by=by)
    recipients = NetworkRecipient.objects.bulk_create(
        [
            NetworkRecipient(message=message, member=m, expires_at=now + LINK_LIFETIME)
            for m in chosen
        ]
    )
    mailed = [r.pk for r, m in zip(recipients, chosen, strict=True) if m.activity.contact_email]

    def enqueue() -> None:
        from .network_tasks import send_network_mail  # the tasks module imports this one

        send_network_mail.enqueue(mailed)

    if mailed:
        transaction.on_commit(enqueue, robust=True)
    return Sent(message, len(mailed), len(chosen) - len(mailed))


def link(recipient: NetworkRecipient) -> str:
    """The recipient's own page, absolute (for the mail)."""
    path = reverse("network:message", args=[recipient.token])
    area = recipient.message.area
    return links.absolute(path, area.municipality or area)


def mail_text(recipient: NetworkRecipient) -> tuple[str, str]:
    """The subject and body of the mail: that there is a message, and the link. Never the
    message, a name or anything the SC wrote: a mail may be forwarded or misdelivered."""
    region = recipient.message.area.name
    subject = _("【%(region)s】生活支援コーディネーターからお知らせがあります") % {"region": region}
    until = timezone.localtime(recipient.expires_at).strftime("%Y-%m-%d")
    body = "\n\n".join(
        [
            _(
                "%(region)sの活動者ネットワークに参加している方へ、"
                "地域の生活支援コーディネーター（SC）からお知らせがあります。"
            )
            % {"region": region},
            _(
                "このメールには内容を書いていません。"
                "次のページでご覧ください（%(until)sまで見られます）。"
            )
            % {"until": until}
            + "\n"
            + link(recipient),
            _(
                "このページはあなた専用です。ほかの方に転送しないでください。"
                "心当たりがないときは、このメールを消してください。"
            ),
        ]
    )
    return subject, body + "\n"


def region_for(activity: Activity) -> Area | None:
    return region_of(activity.area)
