"""Expected revenue E of a deal for year Y."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from rules.expected_revenue import with_expected

MONEY = pl.Decimal(18, 2)


def test_with_expected_adds_closed_actuals_and_open_forecast() -> None:
    deals = pl.DataFrame(
        {
            "actual_mold_closed": [Decimal("100.10")],
            "actual_product_closed": [Decimal("200.20")],
            "forecast_mold_open": [Decimal("30.03")],
            "forecast_product_open": [Decimal("40.04")],
        },
        schema=dict.fromkeys(
            [
                "actual_mold_closed",
                "actual_product_closed",
                "forecast_mold_open",
                "forecast_product_open",
            ],
            MONEY,
        ),
    )

    row = with_expected(deals).row(0, named=True)

    # mold 100.10 + 30.03 = 130.13; product 200.20 + 40.04 = 240.24
    assert row["expected_mold"] == Decimal("130.13")
    assert row["expected_product"] == Decimal("240.24")
    assert row["expected"] == Decimal("130.13") + Decimal("240.24")
    assert row["open_forecast_sales"] == Decimal("30.03") + Decimal("40.04")
