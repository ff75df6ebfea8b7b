from django.db import models


class HourlyCount(models.Model):
    """How many times one address sent one public form until `until` (lib/ratelimit.py)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
