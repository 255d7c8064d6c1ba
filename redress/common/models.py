"""Abstract bases shared by the domain apps, and the revisions of the settings that each
process keeps in memory (`redress.common.settings_cache`)."""

from django.db import models

from redress.common import clock


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        abstract = True


class SettingsRevision(models.Model):
    """A random token per group of settings, replaced whenever one of them is saved or
    deleted. A process that keeps the group in memory reads the token (one light query)
    and loads the group again when it differs: a change in one process reaches every
    other at its next use, and a rolled-back change puts the old token back."""

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
