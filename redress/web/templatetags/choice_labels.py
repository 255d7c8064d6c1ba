"""`{{ case|label:"status" }}`: the label of a field's choice, as `get_status_display`
gives it, from a table made once per field and language.

Django's `get_FOO_display` rebuilds the field's whole table of choices on every call;
the queue shows two labels on each of its fifty rows and the case page one or three on
every timeline entry, which made the labels a tenth of those pages' time."""

from functools import lru_cache
from typing import Any

from django import template
from django.db import models
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _labels(model: type[models.Model], field_name: str, language: str | None
            ) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


@register.filter
def label(instance: models.Model | None, field_name: str) -> Any:
    """The label of `instance`'s value of `field_name` in the active language; the value
    itself when it is not one of the choices (as `get_FOO_display`)."""
    if instance is None:
        return ""
    value = getattr(instance, field_name)
    return _labels(type(instance), field_name, get_language()).get(value, value)
