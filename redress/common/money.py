"""Money is Decimal yuan (CNY) with two places; never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999.99")


def to_money(value: object) -> Decimal:
    """Parse and round a money amount; raises ValueError on anything that is not a number."""
    if isinstance(value, float):
        # A float has already lost the cents; go through its shortest repr, not its binary value.
        value = repr(value)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
