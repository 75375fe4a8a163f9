"""Commodity order attainment per account manager and profit centre (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from rules.money import as_decimal
from rules.period import AsOf


@dataclass(frozen=True)
class OrderAttainment:
    """Order target, actual orders (CNY) and their ratio; None when the target is 0."""

    order_target: Decimal
    orders: Decimal
    attainment: Decimal | None


@dataclass(frozen=True)
class CommodityBoard:
    """Year-to-date order attainment: total, per account manager, per profit centre."""

    total: OrderAttainment
    account_managers: dict[str, OrderAttainment]
    profit_centers: dict[str, OrderAttainment]


def attainment(orders: Decimal, order_target: Decimal) -> Decimal | None:
    """order attainment = actual orders ÷ order target (ratio); None for a 0 target."""
    if order_target == 0:
        return None
    return orders / order_target


def order_attainment(orders: Decimal, order_target: Decimal) -> OrderAttainment:
    """An OrderAttainment from its two sums."""
    return OrderAttainment(order_target, orders, attainment(orders, order_target))


def commodity_board(facts: pl.DataFrame, as_of: AsOf) -> CommodityBoard:
    """Year-to-date attainment: targets of months 1 … M0 against orders dated ≤ D.

    `facts` is warehouse.facts.commodity(): target and order rows of Y flagged
    manager_visible / profit_center_visible. A manager's figures are the rows
    naming them, a profit centre's the rows naming it. The total is formed
    from manager-level rows so that a target set both per manager and per
    profit centre is not counted twice; when the year has no manager-level
    target in scope, the profit-centre rows (those naming no manager) form the
    total's target instead, and failing those the rows split by neither.
    """
    ytd = facts.filter(
        (pl.col("source") == "orders") | (pl.col("month") <= as_of.current_month)
    )

    managers = _by(ytd.filter(pl.col("manager_visible")), "account_manager")
    profit_centers = _by(ytd.filter(pl.col("profit_center_visible")), "profit_center")

    targets = facts.filter(pl.col("source") == "target")
    ytd_targets = ytd.filter(pl.col("source") == "target")
    if targets.filter(pl.col("manager_visible")).height:
        total_targets = ytd_targets.filter(pl.col("manager_visible"))
    elif targets.filter(pl.col("profit_center_visible")).height:
        total_targets = ytd_targets.filter(
            pl.col("profit_center_visible") & (pl.col("account_manager") == "")
        )
    else:
        total_targets = ytd_targets.filter(
            pl.col("unsplit_visible")
            & (pl.col("account_manager") == "")
            & (pl.col("profit_center") == "")
        )
    total_orders = ytd.filter(
        (pl.col("source") == "orders") & pl.col("manager_visible")
    )
    total = order_attainment(
        _sum(total_orders["amount"]), _sum(total_targets["amount"])
    )
    return CommodityBoard(total, managers, profit_centers)


def monthly_attainment(facts: pl.DataFrame, dimension: str) -> pl.DataFrame:
    """Order target and orders (CNY) per manager or profit centre and month.

    `dimension` is 'account_manager' or 'profit_center'; only the rows the
    actor sees of that dimension count. Columns: <dimension>, month,
    order_target, orders.
    """
    visible = (
        "manager_visible" if dimension == "account_manager" else "profit_center_visible"
    )
    return attainment_sums(facts.filter(pl.col(visible)), [dimension, "month"])


def attainment_sums(rows: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Σ order_target and Σ orders of target and order rows, per `by` group."""
    source = pl.col("source")
    return (
        rows.group_by(by)
        .agg(
            pl.col("amount").filter(source == "target").sum().alias("order_target"),
            pl.col("amount").filter(source == "orders").sum().alias("orders"),
        )
        .sort(by)
    )


def _by(rows: pl.DataFrame, dimension: str) -> dict[str, OrderAttainment]:
    return {
        str(row[dimension]): order_attainment(
            as_decimal(row["orders"]), as_decimal(row["order_target"])
        )
        for row in attainment_sums(rows, [dimension]).iter_rows(named=True)
    }


def _sum(column: pl.Series) -> Decimal:
    return as_decimal(column.sum()) if column.len() else Decimal(0)
