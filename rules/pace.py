"""Monthly pace and conversion of the current month (SPEC §4)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from rules.period import AsOf


def monthly_pace(gap: Decimal, remaining_months: int) -> Decimal:
    """What must convert this month: max(gap, 0) ÷ remaining_months, CNY per month."""
    return max(gap, Decimal(0)) / remaining_months


def secured_this_month(as_of: AsOf) -> pl.Expr:
    """True for deals whose secured_on lies in M0 and on or before D."""
    secured_on = pl.col("secured_on")
    return (
        secured_on.is_not_null()
        & (secured_on >= as_of.m0_start)
        & (secured_on <= as_of.as_of)
    )
