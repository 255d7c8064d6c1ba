"""Settings read on every complaint (the priority and routing rules, the SLA policies,
the promises, the default intake department), kept in each process and loaded again
only when one of them changes.

Each app connects its settings models with `settings_follow`; saving or deleting any of
them replaces the group's token (`SettingsRevision`) in the same transaction. `cached`
compares the token with the one its copy was loaded under, in one statement without
the ORM, and loads again when they differ. Writes that send no signals
(`QuerySet.update`, `bulk_create`) must call `settings_changed` themselves.

What `cached` returns is shared by every request of the process: never change it.
"""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.signals import post_delete, post_save

from redress.common.models import SettingsRevision

T = TypeVar("T")

INTAKE = "intake"  # the settings intake reads for every complaint

# One dict assignment per load: a thread reading meanwhile sees the old copy or the new.
_copies: dict[tuple[str, str], tuple[str | None, Any]] = {}


def settings_changed(group: str = INTAKE) -> None:
    """Give the group a new token: every process loads its copies again."""
    SettingsRevision.objects.update_or_create(name=group,
                                              defaults={"token": uuid.uuid4().hex})


def _token(group: str) -> str | None:
    table = connection.ops.quote_name(SettingsRevision._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE name = %s",  # noqa: S608 - model's table
                       [group])
        row = cursor.fetchone()
    return row[0] if row else None


def cached(key: str, load: Callable[[], T], group: str = INTAKE) -> T:
    """`load()`'s answer as of the group's current token, loaded at most once per token
    in this process."""
    token = _token(group)
    copy = _copies.get((group, key))
    if copy is not None and copy[0] == token:
        return copy[1]  # type: ignore[no-any-return]
    value = load()
    _copies[(group, key)] = (token, value)
    return value


def _changed(sender: Any, **kwargs: Any) -> None:
    settings_changed(INTAKE)


def settings_follow(*models_: type[models.Model]) -> None:
    """Replace the intake settings' token whenever one of these models is saved or
    deleted (call from an app's `ready`)."""
    for model in models_:
        uid = f"settings_cache.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
