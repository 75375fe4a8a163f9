"""The facts of SPEC §4 as of a date D, gathered by SQL into Polars frames.

Each function runs one query of `warehouse/queries/facts_*.sql` with the
calendar of D and the acting user's scope bound as parameters, and returns a
frame for the pure rules of `rules/`. DuckDB does the heavy aggregation (the
current forecast over every submission, shipment matching); Python only sees
per-deal or per-group rows of year Y.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import polars as pl

from rules.period import AsOf, month_label
from warehouse import sql
from warehouse.users import OPERATOR, Actor, deal_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """What an actor sees as SQL parameters: everything, some tracks, or one manager."""

    sees_all: bool
    tracks: tuple[str, ...]
    account_manager: str | None

    @classmethod
    def of(cls, actor: Actor) -> Scope:
        """The scope of an actor (SPEC §7: own deals, own tracks, or all)."""
        sees_all, tracks, account_manager = deal_scope(actor)
        return cls(bool(sees_all), tuple(tracks), account_manager)

    def parameters(self) -> dict[str, Any]:
        """$sees_all, $tracks and $account_manager for a query's deal filter."""
        return {
            "sees_all": self.sees_all,
            "tracks": list(self.tracks),
            "account_manager": self.account_manager,
        }


def run(
    cur: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> pl.DataFrame:
    """The result of `warehouse/queries/<name>.sql` with named parameters."""
    log.debug("running %s with %s", name, params)
    return cur.sql(sql.query("warehouse", f"queries/{name}"), params=params).pl()


def deal_year(
    cur: duckdb.DuckDBPyConnection, as_of: AsOf, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """Integrated deals (not Lost) with anything in Y as of D, one row each.

    Columns: deal_id, deal_name, track, account_manager, profit_center, customer,
    stage, effective_phase, secured_on, actual_mold_closed, actual_product_closed,
    forecast_mold_open, forecast_product_open, mold_sets, order_amount_m0,
    has_h_potential_quote.
    """
    params = {
        "as_of": as_of.as_of,
        "year_start": as_of.year_start,
        "year_end": as_of.year_end,
        "m0": as_of.m0_start,
    }
    return run(cur, "facts_deal_year", params | Scope.of(actor).parameters())


def targets(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    business_line: str,
    metric: str,
    actor: Actor = OPERATOR,
) -> pl.DataFrame:
    """Target rows (track, account_manager, profit_center, month, amount) of a year."""
    params = {"year": year, "business_line": business_line, "metric": metric}
    return run(cur, "facts_targets", params | Scope.of(actor).parameters())


def commodity(
    cur: duckdb.DuckDBPyConnection, as_of: AsOf, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """Commodity order targets of Y and orders of Y up to D, flagged by visibility.

    Columns: source ('target' | 'orders'), month, account_manager, profit_center,
    amount, manager_visible, profit_center_visible.
    """
    scope = Scope.of(actor)
    managers: list[str] = []
    profit_centers: list[str] = []
    if not scope.sees_all:
        params = {
            "tracks": list(scope.tracks),
            "account_manager": scope.account_manager,
        }
        visible = run(cur, "facts_commodity_scope", params)
        by_dimension = visible.partition_by("dimension", as_dict=True)
        for (dimension,), rows in by_dimension.items():
            names = rows["name"].to_list()
            if dimension == "account_manager":
                managers = names
            else:
                profit_centers = names

    query_params = {
        "year": as_of.year,
        "year_start": as_of.year_start,
        "as_of": as_of.as_of,
        "sees_all": scope.sees_all,
        "visible_managers": managers,
        "visible_profit_centers": profit_centers,
    }
    return run(cur, "facts_commodity", query_params)


def snapshot_labels(
    cur: duckdb.DuckDBPyConnection, year: int, as_of: date
) -> list[str]:
    """Labels ('YYYY-MM') of a year's snapshots taken as of D or earlier."""
    frame = run(cur, "facts_snapshot_labels", {"year": year, "as_of": as_of})
    return [str(label) for label in frame["label"].to_list()]


def closed_snapshot_labels(cur: duckdb.DuckDBPyConnection, period: AsOf) -> list[str]:
    """Labels of Y's closed months that have a snapshot taken as of D or earlier."""
    closed = {month_label(m) for m in period.closed_months}
    return [
        label
        for label in snapshot_labels(cur, period.year, period.as_of)
        if label in closed
    ]


def accuracy(
    cur: duckdb.DuckDBPyConnection,
    year: int,
    labels: list[str],
    actor: Actor = OPERATOR,
) -> pl.DataFrame:
    """Per deal and snapshot of `year`: the F and A of SPEC §4's weighted accuracy.

    Columns: label, track, account_manager, effective_phase, deal_id, forecast,
    actual. Only the snapshots named in `labels` ('YYYY-MM' of `year`) are read.
    """
    months = [date(int(label[:4]), int(label[5:7]), 1) for label in labels]
    params = {
        "labels": labels,
        "first_month": min(months, default=date(year, 1, 1)),
        "last_month": max(months, default=date(year, 1, 1)),
    }
    return run(cur, "facts_accuracy", params | Scope.of(actor).parameters())


def track_sales(
    cur: duckdb.DuckDBPyConnection, as_of: AsOf, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """Sales target and actual sales per track and closed month of Y."""
    params = {"year": as_of.year, "year_start": as_of.year_start, "m0": as_of.m0_start}
    return run(cur, "facts_track_sales", params | Scope.of(actor).parameters())


def version_diffs(cur: duckdb.DuckDBPyConnection, as_of: AsOf) -> pl.DataFrame:
    """Precision submissions up to D that differ from their current rolling one.

    Columns: deal_id, precision_at, rolling_at, track, account_manager,
    profit_center, precision_sales, rolling_sales, precision_orders,
    rolling_orders, months_changed.
    """
    return run(cur, "facts_version_diff", {"as_of": as_of.as_of})


def wip(
    cur: duckdb.DuckDBPyConnection, as_of: AsOf, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """Commodity WIP sales plan and actual shipments per month and track of Y."""
    # WIP is run by operations: account managers take no part and see none.
    scope = Scope.of(actor)
    params = {
        "year_start": as_of.year_start,
        "year_end": as_of.year_end,
        "m0": as_of.m0_start,
        "sees_all": scope.sees_all,
        "tracks": list(scope.tracks),
    }
    return run(cur, "facts_wip", params)
