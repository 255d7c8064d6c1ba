"""Abstract bases shared by the domain apps; no concrete models live here."""

from django.db import models

from redress.common import clock


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        abstract = True
