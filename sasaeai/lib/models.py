from django.db import models


class HourlyCount(models.Model):
    """How many times one address sent one public form until `until` (lib/ratelimit.py)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class Delivery(models.Model):
    """One mail of one kind about one record to one recipient (lib/delivery.py): claimed
    before it is sent, marked once the mail server took it. A task that runs again after
    its worker was killed skips what it finds here, so nobody gets a mail twice.

    The recipient is a key such as "user:12", never an address: this table is no list of
    who may be reached where."""

    kind = models.CharField(max_length=60)
    record = models.CharField(max_length=64)
    recipient = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record", "recipient"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record} → {self.recipient}"
