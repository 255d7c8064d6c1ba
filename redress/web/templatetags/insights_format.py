"""How the dashboard writes its figures: a share as a percentage, money in yuan, and
"no data yet" wherever a figure is None (its source has nothing in the period)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _no_data() -> SafeString:
    return format_html('<span class="nodata">{}</span>', _("No data yet"))


@register.filter
def figure(value: Any) -> Any:
    """A number as it is, or "no data yet"."""
    return _no_data() if value is None or value == "" else value


@register.filter
def pct(share: float | None) -> Any:
    """0.8234 → "82.3%"."""
    if share is None:
        return _no_data()
    return f"{share * 100:.1f}%"


@register.filter
def yuan(amount: Any) -> Any:
    """"1234.50" → "¥1,234.50"."""
    if amount is None or amount == "":
        return _no_data()
    try:
        return f"¥{Decimal(str(amount)):,.2f}"
    except InvalidOperation:
        return amount


@register.filter
def total(rows: list[dict[str, Any]], key: str) -> int:
    """The sum of one key over a list of rows: whether a panel has anything to draw."""
    return sum(row.get(key) or 0 for row in rows)


@register.filter
def sum_of(values: list[int]) -> int:
    return sum(values)


@register.filter
def at(values: list[Any], index: int) -> Any:
    """values[index], for a table whose columns are lists (a series per channel)."""
    return values[index]
