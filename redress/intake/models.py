"""What intake must remember between requests."""

from django.conf import settings
from django.db import models

from redress.common import clock


class IdempotencyRecord(models.Model):
    """The first answer to an API create sent with an `Idempotency-Key`.

    A retry with the same key and the same body gets this answer back instead of a second
    case; the same key with a different body is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT)
    response = models.JSONField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.case_id}"
