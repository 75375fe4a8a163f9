"""Expected revenue of a deal for year Y (SPEC §4)."""

from __future__ import annotations

import polars as pl

PHASES = ("opportunity", "mold_development", "mass_production")


def with_expected(deals: pl.DataFrame) -> pl.DataFrame:
    """Add E and its parts to per-deal facts, in CNY for year Y.

    E = Σ actual sales over closed months + Σ forecast_sales over open months;
    expected_mold and expected_product split E the same way, and
    open_forecast_sales is the open-month part alone (the pipeline's measure).
    """
    return deals.with_columns(
        expected_mold=pl.col("actual_mold_closed") + pl.col("forecast_mold_open"),
        expected_product=pl.col("actual_product_closed")
        + pl.col("forecast_product_open"),
        open_forecast_sales=pl.col("forecast_mold_open")
        + pl.col("forecast_product_open"),
    ).with_columns(expected=pl.col("expected_mold") + pl.col("expected_product"))
