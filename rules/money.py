"""Money and ratios at the edges: Decimal in, rounded JSON numbers out (SPEC §7)."""

from __future__ import annotations

from decimal import Decimal


def as_decimal(value: object) -> Decimal:
    """A Decimal from a Polars or DuckDB sum (None, as for an empty sum, is 0)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"expected a Decimal amount, got {type(value).__name__}")


def json_amount(value: Decimal | None) -> float | None:
    """An amount as a JSON number rounded to 2 decimals (None stays null)."""
    return None if value is None else float(round(value, 2))


def json_ratio(value: Decimal | None) -> float | None:
    """A ratio as a JSON number rounded to 4 decimals (None stays null)."""
    return None if value is None else float(round(value, 4))
