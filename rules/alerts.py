"""The six alert kinds of SPEC §5, evaluated into candidate alerts.

A candidate's identity is (kind, subject_type, subject, period); the warehouse
stores it only if no alert with that identity was raised before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from rules.accuracy import MonthAccuracy
from rules.commodity import attainment, monthly_attainment
from rules.coverage import ALERT, IntegratedMetrics
from rules.money import as_decimal, json_amount, json_ratio
from rules.period import AsOf, month_label
from rules.settings import Settings

TRACK_DIRECTOR = "track_director"
PDCA = "business_analysis_pdca"

KINDS = (
    "version_diff",
    "no_h_potential_by_25th",
    "low_coverage",
    "sales_shortfall",
    "order_shortfall",
    "low_accuracy",
)

TOTAL = "total"

# Figures that are ratios (rounded to 4 decimals in JSON); the rest are CNY.
RATIO_FIGURES = frozenset(
    {
        "coverage",
        "coverage_threshold",
        "attainment",
        "weighted",
        "opportunity",
        "mold_development",
        "mass_production",
        "accuracy_threshold",
        "opportunity_bias",
        "mold_development_bias",
        "mass_production_bias",
    }
)


@dataclass(frozen=True)
class AlertCandidate:
    """An alert as a rule raises it, before it is stored."""

    kind: str
    business_line: str
    subject_type: str  # deal | track | total | account_manager | profit_center
    subject: str
    period: str
    route: str
    figures: dict[str, Any] = field(default_factory=dict)
    track: str | None = None
    account_manager: str | None = None
    profit_center: str | None = None
    deal_id: str | None = None
    direction: str | None = None

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """(kind, subject_type, subject, period): raised once per identity."""
        return (self.kind, self.subject_type, self.subject, self.period)


def due_on(route: str, raised_on: date, settings: Settings) -> date | None:
    """raised_on + handling_days for director-routed alerts; None for the PDCA."""
    if route != TRACK_DIRECTOR:
        return None
    return raised_on + timedelta(days=settings.handling_days)


def figures_json(figures: dict[str, Any]) -> dict[str, Any]:
    """Figures as JSON values: ratios rounded to 4 decimals, amounts to 2."""
    result: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, Decimal):
            result[key] = (
                json_ratio(value) if key in RATIO_FIGURES else json_amount(value)
            )
        else:
            result[key] = value
    return result


def version_direction(
    precision_sales: Decimal,
    rolling_sales: Decimal,
    precision_orders: Decimal,
    rolling_orders: Decimal,
) -> str:
    """Sales total, then order amount: lower shortfall, higher upside, else reshaped."""
    for precision, rolling in (
        (precision_sales, rolling_sales),
        (precision_orders, rolling_orders),
    ):
        if precision < rolling:
            return "shortfall"
        if precision > rolling:
            return "upside"
    return "reshaped"


def version_diff_alerts(diffs: pl.DataFrame) -> list[AlertCandidate]:
    """version_diff: each differing precision submission, period = its submitted_at.

    `diffs` is warehouse.facts.version_diffs(): only pairs that differ.
    """
    alerts = []
    for row in diffs.iter_rows(named=True):
        precision_at = row["precision_at"]
        rolling_at = row["rolling_at"]
        direction = version_direction(
            row["precision_sales"],
            row["rolling_sales"],
            row["precision_orders"],
            row["rolling_orders"],
        )
        alerts.append(
            AlertCandidate(
                kind="version_diff",
                business_line="integrated",
                subject_type="deal",
                subject=row["deal_id"],
                period=precision_at.isoformat(),
                route=TRACK_DIRECTOR,
                track=row["track"],
                account_manager=row["account_manager"],
                profit_center=row["profit_center"],
                deal_id=row["deal_id"],
                direction=direction,
                figures={
                    "precision_submitted_at": precision_at.isoformat(),
                    "rolling_submitted_at": rolling_at.isoformat()
                    if rolling_at
                    else None,
                    "precision_sales": row["precision_sales"],
                    "rolling_sales": row["rolling_sales"],
                    "precision_orders": row["precision_orders"],
                    "rolling_orders": row["rolling_orders"],
                    "months_changed": list(row["months_changed"] or []),
                },
            )
        )
    return alerts


def no_h_potential_alerts(
    deals: pl.DataFrame, as_of: AsOf, settings: Settings
) -> list[AlertCandidate]:
    """no_h_potential_by_25th: from the check day on, opportunities booking an
    order in M0 (current forecast) with no quote at H Potential or later ≤ D."""
    if as_of.as_of.day < settings.check_day:
        return []

    at_risk = deals.filter(
        (pl.col("effective_phase") == "opportunity")
        & (pl.col("order_amount_m0") > 0)
        & ~pl.col("has_h_potential_quote")
    )
    return [
        AlertCandidate(
            kind="no_h_potential_by_25th",
            business_line="integrated",
            subject_type="deal",
            subject=row["deal_id"],
            period=as_of.period,
            route=TRACK_DIRECTOR,
            track=row["track"],
            account_manager=row["account_manager"],
            profit_center=row["profit_center"],
            deal_id=row["deal_id"],
            figures={
                "order_amount": row["order_amount_m0"],
                "order_month": as_of.period,
                "stage": row["stage"],
            },
        )
        for row in at_risk.iter_rows(named=True)
    ]


def low_coverage_alerts(
    total: IntegratedMetrics,
    tracks: dict[str, IntegratedMetrics],
    as_of: AsOf,
    settings: Settings,
) -> list[AlertCandidate]:
    """low_coverage: the total and each track with coverage_status alert (period M0)."""
    groups: list[tuple[str | None, IntegratedMetrics]] = [(None, total)]
    groups += sorted(tracks.items())
    return [
        AlertCandidate(
            kind="low_coverage",
            business_line="integrated",
            subject_type="total" if track is None else "track",
            subject=TOTAL if track is None else track,
            period=as_of.period,
            route=PDCA,
            track=track,
            figures={
                "target": metrics.target,
                "mp_expected": metrics.mp_expected,
                "mold_expected": metrics.mold_expected,
                "gap": metrics.gap,
                "pipeline": metrics.pipeline,
                "weighted_pipeline": metrics.weighted_pipeline,
                "coverage": metrics.coverage,
                "coverage_threshold": settings.coverage_threshold,
            },
        )
        for track, metrics in groups
        if metrics.coverage_status == ALERT
    ]


def sales_shortfall_alerts(track_sales: pl.DataFrame) -> list[AlertCandidate]:
    """sales_shortfall: a track's actual sales below its sales target in a closed month.

    `track_sales` is warehouse.facts.track_sales(): track, month, sales_target,
    actual_sales. Exactly 100 % raises nothing.
    """
    short = track_sales.filter(pl.col("actual_sales") < pl.col("sales_target"))
    alerts = []
    for row in short.iter_rows(named=True):
        target, actual = row["sales_target"], row["actual_sales"]
        alerts.append(
            AlertCandidate(
                kind="sales_shortfall",
                business_line="integrated",
                subject_type="track",
                subject=row["track"],
                period=month_label(row["month"]),
                route=TRACK_DIRECTOR,
                track=row["track"],
                figures={
                    "sales_target": target,
                    "actual_sales": actual,
                    "shortfall": target - actual,
                    "attainment": attainment(actual, target),
                },
            )
        )
    return alerts


def order_shortfall_alerts(
    commodity: pl.DataFrame, as_of: AsOf
) -> list[AlertCandidate]:
    """order_shortfall: per account manager and per profit centre, each closed month
    whose actual orders fall below the order target (exactly 100 % raises nothing).

    `commodity` is warehouse.facts.commodity(). The alert's track, which routes
    it to a director, is the track on the target rows if they name one, else
    the track with the largest orders of that manager or profit centre in Y.
    """
    alerts = []
    for dimension in ("account_manager", "profit_center"):
        tracks = _home_tracks(commodity, dimension)
        monthly = monthly_attainment(commodity, dimension).filter(
            (pl.col("month") < as_of.current_month)
            & (pl.col("orders") < pl.col("order_target"))
        )
        for row in monthly.iter_rows(named=True):
            name = str(row[dimension])
            target, orders = as_decimal(row["order_target"]), as_decimal(row["orders"])
            period = month_label(date(as_of.year, int(row["month"]), 1))
            alerts.append(
                AlertCandidate(
                    kind="order_shortfall",
                    business_line="commodity",
                    subject_type=dimension,
                    subject=name,
                    period=period,
                    route=TRACK_DIRECTOR,
                    track=tracks.get(name),
                    account_manager=name if dimension == "account_manager" else None,
                    profit_center=name if dimension == "profit_center" else None,
                    figures={
                        "order_target": target,
                        "actual_orders": orders,
                        "shortfall": target - orders,
                        "attainment": attainment(orders, target),
                    },
                )
            )
    return alerts


def low_accuracy_alerts(
    accuracies: dict[tuple[str, str | None], MonthAccuracy], settings: Settings
) -> list[AlertCandidate]:
    """low_accuracy: weighted accuracy of a closed month below the threshold (0.85),
    per track and in total; `accuracies` is keyed by (label, track or None)."""
    alerts = []
    for (label, track), month in sorted(
        accuracies.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        if month.weighted >= settings.accuracy_threshold:
            continue
        alerts.append(
            AlertCandidate(
                kind="low_accuracy",
                business_line="integrated",
                subject_type="total" if track is None else "track",
                subject=TOTAL if track is None else track,
                period=label,
                route=PDCA,
                track=track,
                figures={
                    "weighted": month.weighted,
                    "opportunity": month.opportunity.accuracy,
                    "mold_development": month.mold_development.accuracy,
                    "mass_production": month.mass_production.accuracy,
                    "opportunity_bias": month.opportunity.bias,
                    "mold_development_bias": month.mold_development.bias,
                    "mass_production_bias": month.mass_production.bias,
                    "accuracy_threshold": settings.accuracy_threshold,
                },
            )
        )
    return alerts


def _home_tracks(commodity: pl.DataFrame, dimension: str) -> dict[str, str]:
    # The track a manager or profit centre answers to: named on its targets,
    # else where most of its order intake of the year was booked.
    named = commodity.filter(
        (pl.col(dimension) != "")
        & pl.col("track").is_not_null()
        & (pl.col("track") != "")
    )
    ranked = (
        named.group_by([dimension, "track"])
        .agg(
            (pl.col("source") == "target").any().alias("on_target"),
            pl.col("amount").filter(pl.col("source") == "orders").sum().alias("orders"),
        )
        .sort(
            [dimension, "on_target", "orders", "track"],
            descending=[False, True, True, False],
        )
        .unique(subset=[dimension], keep="first", maintain_order=True)
    )
    return {
        str(row[dimension]): str(row["track"]) for row in ranked.iter_rows(named=True)
    }
