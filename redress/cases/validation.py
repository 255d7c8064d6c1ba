"""Checks on what a customer or a member of staff typed, before anything is stored.

Each raises `Invalid` with a translatable message and the field at fault. Nothing here
changes the text: what passes is stored exactly as sent.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from redress.common import clock
from redress.common.errors import Invalid
from redress.common.money import MAX_AMOUNT, to_money

DESCRIPTION_MAX = 10_000
MESSAGE_MAX = 5_000
SHORT_MAX = 200
NAME_MAX = 100
# Clocks on phones and tills drift; a receipt time a little ahead of ours is not an error.
FUTURE_SKEW = timedelta(minutes=5)


def _refuse_nul(text: str, field: str) -> None:
    # PostgreSQL cannot store a NUL character in text; refuse it on every database alike
    # rather than fail with a server error on one of them.
    if "\x00" in text:
        raise Invalid(_("This text contains a character that cannot be stored (NUL)."),
                      field=field)


def clean_long_text(value: str | None, *, field: str, max_length: int, required: bool) -> str:
    text = value or ""
    _refuse_nul(text, field)
    if required and not text.strip():
        raise Invalid(_("Please write something here."), field=field)
    if len(text) > max_length:
        raise Invalid(
            _("This is %(length)d characters long; at most %(max)d are accepted.")
            % {"length": len(text), "max": max_length},
            field=field,
        )
    return text


def clean_short_text(value: str | None, *, field: str, max_length: int = SHORT_MAX) -> str:
    """Names, places and order numbers: one line, no markup."""
    text = (value or "").strip()
    _refuse_nul(text, field)
    if len(text) > max_length:
        raise Invalid(
            _("At most %(max)d characters are accepted here.") % {"max": max_length},
            field=field,
        )
    if any(ch in text for ch in "<>\r\n"):
        raise Invalid(_("Angle brackets and line breaks are not allowed here."), field=field)
    return text


def clean_phone(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise Invalid(_("This does not look like a phone number."), field="phone") from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise Invalid(_("This does not look like a phone number."), field="phone")
    return text


def clean_email(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError as exc:
        raise Invalid(_("This does not look like an e-mail address."), field="email") from exc
    return text


def clean_amount(value: object, *, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = to_money(value)
    except ValueError as exc:
        raise Invalid(_("Please give an amount in yuan, e.g. 128.50."), field=field) from exc
    if amount < 0:
        raise Invalid(_("An amount cannot be negative."), field=field)
    if amount > MAX_AMOUNT:
        raise Invalid(_("This amount is too large."), field=field)
    return amount


def clean_received_at(value: datetime | None) -> datetime:
    if value is None:
        return clock.now()
    if value.tzinfo is None:
        raise Invalid(_("Please give the time with its time zone."), field="received_at")
    if value > clock.now() + FUTURE_SKEW:
        raise Invalid(_("The time received cannot be in the future."), field="received_at")
    return value


def clean_choice(value: str | None, *, field: str, choices: list[str]) -> str:
    if value not in choices:
        raise Invalid(
            _("%(value)s is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)},
            field=field,
        )
    return value
