"""Remaining gap, pipeline, weighted pipeline and coverage per track (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from rules.expected_revenue import with_expected
from rules.money import as_decimal
from rules.pace import monthly_pace, secured_this_month
from rules.period import AsOf
from rules.settings import Settings

HEALTHY = "healthy"
ALERT = "alert"

_MONEY = pl.Decimal(38, 2)


@dataclass(frozen=True)
class IntegratedMetrics:
    """The integrated board of one track or the total, in CNY for year Y."""

    target: Decimal
    mp_expected: Decimal
    mold_expected: Decimal
    gap: Decimal
    pipeline: Decimal
    weighted_pipeline: Decimal
    coverage: Decimal | None
    coverage_status: str
    monthly_pace: Decimal
    converted_this_month: Decimal


@dataclass(frozen=True)
class PhaseDimensions:
    """Mold sets (current forecast, months of Y) and expected mold / product sales."""

    mold_sets: int
    mold_sales: Decimal
    product_sales: Decimal


def with_weighted_forecast(deals: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Add weighted_open_forecast: an opportunity's open forecast × its stage weight.

    Deals in other phases weigh 0; a stage without a weight in the settings
    weighs 0 too.
    """
    weights = pl.DataFrame(
        {
            "stage": list(settings.stage_weights),
            "stage_weight": list(settings.stage_weights.values()),
        },
        schema={"stage": pl.String, "stage_weight": pl.Decimal(18, 6)},
    )
    weighted = deals.join(weights, on="stage", how="left").with_columns(
        weighted_open_forecast=pl.when(pl.col("effective_phase") == "opportunity")
        .then(pl.col("open_forecast_sales") * pl.col("stage_weight").fill_null(0))
        .otherwise(0)
    )
    return weighted.drop("stage_weight")


def remaining_gap(
    target: Decimal, mp_expected: Decimal, mold_expected: Decimal
) -> Decimal:
    """gap = target − mp_expected − mold_expected, in CNY (may be negative)."""
    return target - mp_expected - mold_expected


def coverage(weighted_pipeline: Decimal, gap: Decimal) -> Decimal | None:
    """coverage = weighted_pipeline ÷ gap when gap > 0, else None (a multiple)."""
    if gap <= 0:
        return None
    return weighted_pipeline / gap


def coverage_status(
    weighted_pipeline: Decimal, gap: Decimal, settings: Settings
) -> str:
    """'healthy' when gap ≤ 0 or coverage ≥ threshold (default 1.5), else 'alert'."""
    # Compared as weighted ≥ threshold × gap so that exactly 1.5 is exact.
    if gap <= 0 or weighted_pipeline >= settings.coverage_threshold * gap:
        return HEALTHY
    return ALERT


def integrated_metrics(
    sums: dict[str, Decimal], target: Decimal, as_of: AsOf, settings: Settings
) -> IntegratedMetrics:
    """The board metrics of one group from its sums (see `phase_sums`) and target."""
    gap = remaining_gap(target, sums["mp_expected"], sums["mold_expected"])
    weighted = sums["weighted_pipeline"]
    return IntegratedMetrics(
        target=target,
        mp_expected=sums["mp_expected"],
        mold_expected=sums["mold_expected"],
        gap=gap,
        pipeline=sums["pipeline"],
        weighted_pipeline=weighted,
        coverage=coverage(weighted, gap),
        coverage_status=coverage_status(weighted, gap, settings),
        monthly_pace=monthly_pace(gap, as_of.remaining_months),
        converted_this_month=sums["converted_this_month"],
    )


def phase_sums(deals: pl.DataFrame, as_of: AsOf, by: list[str]) -> pl.DataFrame:
    """Per group: mp_expected, mold_expected, pipeline, weighted_pipeline, converted.

    `deals` carries E (with_expected) and weighted_open_forecast; an empty `by`
    sums every deal into one row.
    """
    phase = pl.col("effective_phase")
    sums = [
        pl.col("expected")
        .filter(phase == "mass_production")
        .sum()
        .alias("mp_expected"),
        pl.col("expected")
        .filter(phase == "mold_development")
        .sum()
        .alias("mold_expected"),
        pl.col("open_forecast_sales")
        .filter(phase == "opportunity")
        .sum()
        .alias("pipeline"),
        pl.col("weighted_open_forecast").sum().alias("weighted_pipeline"),
        pl.col("expected")
        .filter(secured_this_month(as_of))
        .sum()
        .alias("converted_this_month"),
    ]
    if by:
        return deals.group_by(by).agg(sums).sort(by)
    return deals.select(sums)


def integrated_board(
    deals: pl.DataFrame, targets: pl.DataFrame, as_of: AsOf, settings: Settings
) -> tuple[IntegratedMetrics, dict[str, IntegratedMetrics]]:
    """The integrated board in total and per track, from per-deal facts and targets.

    `targets` holds the sales target rows of Y in scope (track, amount); the
    total's target is Σ of every row, a track's is Σ of the rows naming it.
    """
    deals = with_weighted_forecast(with_expected(deals), settings)
    zero = Decimal(0)

    total_sums = _as_decimals(phase_sums(deals, as_of, []).row(0, named=True))
    total_target = as_decimal(targets["amount"].sum()) if targets.height else zero
    total = integrated_metrics(total_sums, total_target, as_of, settings)

    track_targets = {
        str(row["track"]): as_decimal(row["amount"])
        for row in targets.filter(pl.col("track") != "")
        .group_by("track")
        .agg(pl.col("amount").sum())
        .iter_rows(named=True)
    }
    track_sums = {
        str(row.pop("track")): _as_decimals(row)
        for row in phase_sums(deals, as_of, ["track"]).iter_rows(named=True)
    }
    empty = dict.fromkeys(total_sums, zero)
    tracks = {
        track: integrated_metrics(
            track_sums.get(track, empty),
            track_targets.get(track, zero),
            as_of,
            settings,
        )
        for track in sorted(set(track_targets) | set(track_sums))
    }
    return total, tracks


def phase_dimensions(
    deals: pl.DataFrame, by: list[str]
) -> dict[tuple[str, ...], PhaseDimensions]:
    """Mold sets, mold sales and product sales per group and phase (sales as in E)."""
    deals = with_expected(deals)
    grouped = (
        deals.group_by([*by, "effective_phase"])
        .agg(
            pl.col("mold_sets").sum(),
            pl.col("expected_mold").sum().cast(_MONEY),
            pl.col("expected_product").sum().cast(_MONEY),
        )
        .sort([*by, "effective_phase"])
    )
    return {
        tuple(str(row[c]) for c in [*by, "effective_phase"]): PhaseDimensions(
            mold_sets=int(row["mold_sets"]),
            mold_sales=as_decimal(row["expected_mold"]),
            product_sales=as_decimal(row["expected_product"]),
        )
        for row in grouped.iter_rows(named=True)
    }


def _as_decimals(row: dict[str, object]) -> dict[str, Decimal]:
    return {key: as_decimal(value) for key, value in row.items()}
