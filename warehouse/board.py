"""The board of SPEC §4 and §7 as of a date, for one actor's scope.

Facts come from warehouse.facts (SQL), figures from the pure rules of
`rules/`; `Board.to_json()` is exactly the object `forecast board --json`
prints. The dashboard calls the functions here, never the rules directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import polars as pl

from rules.accuracy import MonthAccuracy, empty_month, month_accuracy
from rules.commodity import (
    CommodityBoard,
    OrderAttainment,
    commodity_board,
    monthly_attainment,
)
from rules.coverage import (
    IntegratedMetrics,
    PhaseDimensions,
    integrated_board,
    phase_dimensions,
    with_weighted_forecast,
)
from rules.expected_revenue import PHASES, with_expected
from rules.money import json_amount, json_ratio
from rules.period import AsOf, month_label
from rules.settings import Settings
from warehouse import facts
from warehouse.errors import ForecastError
from warehouse.users import OPERATOR, Actor

log = logging.getLogger(__name__)

_MONEY = pl.Decimal(18, 2)


@dataclass(frozen=True)
class IntegratedBoard:
    """One track's (or the total's) metrics, latest accuracy and phase dimensions."""

    metrics: IntegratedMetrics
    accuracy: MonthAccuracy | None
    dimensions: dict[str, PhaseDimensions]

    def to_json(self) -> dict[str, Any]:
        """The object M of SPEC §7: amounts to 2 decimals, ratios to 4."""
        m = self.metrics
        return {
            "target": json_amount(m.target),
            "mp_expected": json_amount(m.mp_expected),
            "mold_expected": json_amount(m.mold_expected),
            "gap": json_amount(m.gap),
            "pipeline": json_amount(m.pipeline),
            "weighted_pipeline": json_amount(m.weighted_pipeline),
            "coverage": json_ratio(m.coverage),
            "coverage_status": m.coverage_status,
            "monthly_pace": json_amount(m.monthly_pace),
            "converted_this_month": json_amount(m.converted_this_month),
            "accuracy": accuracy_json(self.accuracy),
        }


@dataclass(frozen=True)
class Board:
    """The whole board as of D: integrated per track and total, commodity YTD."""

    as_of: date
    year: int
    remaining_months: int
    integrated_total: IntegratedBoard
    integrated_tracks: dict[str, IntegratedBoard]
    commodity: CommodityBoard

    def to_json(self) -> dict[str, Any]:
        """Exactly the object of SPEC §7 `forecast board --json`."""
        return {
            "as_of": self.as_of.isoformat(),
            "year": self.year,
            "remaining_months": self.remaining_months,
            "integrated": {
                "total": self.integrated_total.to_json(),
                "tracks": {
                    track: board.to_json()
                    for track, board in sorted(self.integrated_tracks.items())
                },
            },
            "commodity": {
                "total": attainment_json(self.commodity.total),
                "account_managers": {
                    name: attainment_json(a)
                    for name, a in sorted(self.commodity.account_managers.items())
                },
                "profit_centers": {
                    name: attainment_json(a)
                    for name, a in sorted(self.commodity.profit_centers.items())
                },
            },
        }


@dataclass(frozen=True)
class AccuracyRow:
    """Weighted accuracy of one closed month for a track (None: the total).

    `accuracy` is None when the month has no snapshot: missing, never 0 or 1.
    """

    month: str
    track: str | None
    accuracy: MonthAccuracy | None


@dataclass(frozen=True)
class CommodityAttainment:
    """Commodity order attainment: year to date, and by month per manager and centre.

    The monthly frames have columns <dimension>, month, order_target, orders
    (CNY) and attainment (a float ratio, null when the target is 0).
    """

    ytd: CommodityBoard
    account_managers_monthly: pl.DataFrame
    profit_centers_monthly: pl.DataFrame


def accuracy_json(month: MonthAccuracy | None) -> dict[str, Any] | None:
    """The accuracy object of SPEC §7 (ratios to 4 decimals), biases beside them."""
    if month is None:
        return None
    result: dict[str, Any] = {"month": month.month}
    for phase in PHASES:
        result[phase] = json_ratio(month.stage(phase).accuracy)
    result["weighted"] = json_ratio(month.weighted)
    for phase in PHASES:
        result[f"{phase}_bias"] = json_ratio(month.stage(phase).bias)
    return result


def attainment_json(attainment: OrderAttainment) -> dict[str, Any]:
    """The object C of SPEC §7."""
    return {
        "order_target_ytd": json_amount(attainment.order_target),
        "orders_ytd": json_amount(attainment.orders),
        "order_attainment_ytd": json_ratio(attainment.attainment),
    }


def build_board(
    cur: duckdb.DuckDBPyConnection,
    as_of: date,
    settings: Settings,
    actor: Actor = OPERATOR,
) -> Board:
    """The board as of D in the actor's scope (SPEC §4 metrics, §7 shape)."""
    period = AsOf(as_of)

    deals = facts.deal_year(cur, period, actor)
    targets = facts.targets(cur, period.year, "integrated", "sales", actor)
    total, tracks = integrated_board(deals, targets, period, settings)

    latest = latest_accuracy(cur, period, settings, actor)
    total_dimensions = phase_dimensions(deals, [])
    track_dimensions = phase_dimensions(deals, ["track"])

    integrated_total = IntegratedBoard(
        total, latest.get(None), _dimensions(total_dimensions, ())
    )
    integrated_tracks = {
        track: IntegratedBoard(
            metrics,
            latest.get(track) or _empty_accuracy(latest, settings),
            _dimensions(track_dimensions, (track,)),
        )
        for track, metrics in tracks.items()
    }

    commodity = commodity_board(facts.commodity(cur, period, actor), period)

    log.debug("board as of %s for %s: %d tracks", as_of, actor.name, len(tracks))
    return Board(
        as_of=as_of,
        year=period.year,
        remaining_months=period.remaining_months,
        integrated_total=integrated_total,
        integrated_tracks=integrated_tracks,
        commodity=commodity,
    )


def latest_accuracy(
    cur: duckdb.DuckDBPyConnection,
    period: AsOf,
    settings: Settings,
    actor: Actor = OPERATOR,
) -> dict[str | None, MonthAccuracy]:
    """Accuracy of the latest closed month of Y with a snapshot, by track (None: total).

    Empty when no closed month of Y has a snapshot.
    """
    labels = facts.closed_snapshot_labels(cur, period)
    if not labels:
        return {}

    label = max(labels)
    rows = facts.accuracy(cur, period.year, [label], actor)
    result: dict[str | None, MonthAccuracy] = {
        None: month_accuracy(rows, settings, []).get(
            (label,), empty_month(label, settings)
        )
    }
    for (_, track), month in month_accuracy(rows, settings, ["track"]).items():
        result[track] = month
    return result


def accuracy_by_month(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    as_of: date,
    settings: Settings,
    actor: Actor = OPERATOR,
) -> list[AccuracyRow]:
    """Weighted accuracy of each closed month of `year` as of D, in total and per track.

    A month without a snapshot is present with accuracy None; a track with no
    deal in a month's snapshot scores like an all-zero stage (1).
    """
    closed = _closed_months(year, as_of)
    taken = set(facts.snapshot_labels(cur, year, as_of))
    labels = [label for label in closed if label in taken]

    rows = facts.accuracy(cur, year, labels, actor) if labels else None
    totals = month_accuracy(rows, settings, []) if rows is not None else {}
    by_track = month_accuracy(rows, settings, ["track"]) if rows is not None else {}
    tracks = sorted({track for _, track in by_track})

    result = []
    for label in closed:
        has_snapshot = label in taken
        total = (
            totals.get((label,), empty_month(label, settings)) if has_snapshot else None
        )
        result.append(AccuracyRow(label, None, total))
        for track in tracks:
            month = None
            if has_snapshot:
                month = by_track.get((label, track), empty_month(label, settings))
            result.append(AccuracyRow(label, track, month))
    return result


def deal_expectations(
    cur: duckdb.DuckDBPyConnection,
    as_of: date,
    settings: Settings,
    actor: Actor = OPERATOR,
) -> pl.DataFrame:
    """One row per integrated deal (not Lost) in scope with anything in Y as of D.

    Columns: deal_id, deal_name, track, account_manager, profit_center,
    customer, stage, effective_phase, secured_on, expected (E), expected_mold,
    expected_product, open_forecast_sales, weighted_open_forecast, mold_sets,
    order_amount_m0, has_h_potential_quote; amounts in CNY.
    """
    period = AsOf(as_of)
    deals = with_weighted_forecast(
        with_expected(facts.deal_year(cur, period, actor)), settings
    )
    return deals.select(
        "deal_id",
        "deal_name",
        "track",
        "account_manager",
        "profit_center",
        "customer",
        "stage",
        "effective_phase",
        "secured_on",
        pl.col("expected").cast(_MONEY),
        pl.col("expected_mold").cast(_MONEY),
        pl.col("expected_product").cast(_MONEY),
        pl.col("open_forecast_sales").cast(_MONEY),
        "weighted_open_forecast",
        "mold_sets",
        "order_amount_m0",
        "has_h_potential_quote",
    )


def commodity_attainment(
    cur: duckdb.DuckDBPyConnection, as_of: date, actor: Actor = OPERATOR
) -> CommodityAttainment:
    """Commodity order attainment as of D: YTD, and monthly per manager and centre."""
    period = AsOf(as_of)
    rows = facts.commodity(cur, period, actor)

    monthly = {
        dimension: monthly_attainment(rows, dimension).with_columns(
            attainment=pl.when(pl.col("order_target") != 0).then(
                pl.col("orders").cast(pl.Float64)
                / pl.col("order_target").cast(pl.Float64)
            )
        )
        for dimension in ("account_manager", "profit_center")
    }
    return CommodityAttainment(
        ytd=commodity_board(rows, period),
        account_managers_monthly=monthly["account_manager"],
        profit_centers_monthly=monthly["profit_center"],
    )


def wip_vs_actual(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: date, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """Commodity WIP sales plan against actual shipments by month and track, in CNY.

    Columns: month, track, planned_sales, actual_sales (null for months after M0).
    """
    if year > as_of.year:
        raise ForecastError(
            f"{year} 年尚未开始（截至 {as_of}），没有实际出货可比。"
            f"请选择 {as_of.year} 年或更早的年份。",
            f"Year {year} has not begun as of {as_of}, so there are no actual "
            f"shipments to compare. Choose {as_of.year} or an earlier year.",
        )
    period = AsOf(as_of if year == as_of.year else date(year, 12, 31))
    return facts.wip(cur, period, actor)


def _closed_months(year: int, as_of: date) -> list[str]:
    if year > as_of.year:
        return []
    last = as_of.month - 1 if year == as_of.year else 12
    return [month_label(date(year, m, 1)) for m in range(1, last + 1)]


def _dimensions(
    dimensions: dict[tuple[str, ...], PhaseDimensions], key: tuple[str, ...]
) -> dict[str, PhaseDimensions]:
    return {
        group[-1]: value for group, value in dimensions.items() if group[:-1] == key
    }


def _empty_accuracy(
    latest: dict[str | None, MonthAccuracy], settings: Settings
) -> MonthAccuracy | None:
    # A track with no deal in the latest snapshot: the month exists, all-zero stages.
    if not latest:
        return None
    return empty_month(latest[None].month, settings)
