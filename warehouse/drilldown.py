"""Read queries behind the dashboard's drill-downs that the rules do not answer.

Deal detail, manager review, the dual-version list, conversion analysis,
snapshot-to-snapshot changes, the commodity pipeline and the load log. Every
query is scoped to the viewer as `warehouse.users.deal_scope` defines, inside
SQL, so that a page never filters on its own. The review notes a director
records (PDCA step D2) are written here too, in one audited transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from rules.alerts import version_direction
from rules.period import AsOf
from warehouse import audit, facts
from warehouse.access import require
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound
from warehouse.sql import query
from warehouse.users import OPERATOR, Actor, deal_scope

log = logging.getLogger(__name__)

_QUERIES = "warehouse.queries"

# The changes between two snapshots, in the order they are tested (SPEC §6 words).
CHANGES = ("new", "won", "lost", "pulled_in", "pushed_out", "grown", "shrunk")

REVIEW_KINDS = ("note", "task")


def _scope(actor: Actor) -> dict[str, Any]:
    sees_all, tracks, manager = deal_scope(actor)
    return {"sees_all": sees_all, "tracks": tracks, "manager": manager}


def _frame(
    cur: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> pl.DataFrame:
    return cur.sql(query(_QUERIES, name), params=params).pl()


def warehouse_facts(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The warehouse_info facts as a dict, e.g. {"sample": "true", …}."""
    return dict(cur.execute("SELECT key, value FROM warehouse_info").fetchall())


def data_version(cur: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """A fingerprint that changes with every load, snapshot, audited action or alert."""
    rows = cur.execute(query(_QUERIES, "drilldown_data_version")).fetchall()
    return tuple(int(value) for value in rows[0]) if rows else ()


def frozen_forecast_rows(cur: duckdb.DuckDBPyConnection) -> int:
    """How many forecast rows all snapshots hold: what verifying the chain reads."""
    rows = cur.execute("SELECT count(*) FROM snapshot_forecasts").fetchall()
    return int(rows[0][0])


def load_log(
    cur: duckdb.DuckDBPyConnection, limit: int = 200, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """The latest load attempts (accepted, rejected, unchanged), newest first.

    For the CEO, analysts and admins (warehouse.access).
    """
    require(actor, "view_load_log")
    return _frame(cur, "drilldown_load_log", {"limit": limit})


@dataclass(frozen=True)
class DealDetail:
    """One deal as the track page shows it: attributes, versions, quotes, actuals."""

    deal: dict[str, Any]
    forecasts: pl.DataFrame  # month, rolling_* and precision_* side by side
    quotes: pl.DataFrame  # quote_id, stage, quoted_on, amount
    actuals: pl.DataFrame  # month, mold_shipped, product_shipped, orders


def deal_detail(
    cur: duckdb.DuckDBPyConnection, deal_id: str, as_of: date, actor: Actor
) -> DealDetail:
    """A deal's attributes, both forecast versions by month, quotes and actuals at D."""
    header = _frame(cur, "drilldown_deal", {"deal_id": deal_id, **_scope(actor)})
    if header.is_empty():
        raise NotFound(
            f"找不到商机“{deal_id}”，或当前查看身份无权查看它。请检查商机编号，或切换查看身份。",
            f"There is no deal '{deal_id}', or the current viewer may not see it. "
            "Check the deal number or switch the viewer.",
        )

    params = {"deal_id": deal_id, "as_of": as_of}
    return DealDetail(
        deal=header.row(0, named=True),
        forecasts=_frame(cur, "drilldown_deal_forecasts", params),
        quotes=_frame(cur, "drilldown_deal_quotes", params),
        actuals=_frame(cur, "drilldown_deal_actuals", params),
    )


def manager_summary(
    deals: pl.DataFrame, gap: Decimal, open_alerts: dict[str, int]
) -> pl.DataFrame:
    """Per account manager of one track: E by phase, pipeline, share of the gap.

    `deals` is warehouse.board.deal_expectations() for the track. Sales targets
    are set per track, so a manager has no gap of their own: gap_share is the
    manager's weighted pipeline ÷ the track's remaining gap (the managers'
    shares add up to the track's coverage; null when the gap is ≤ 0).
    due_this_month counts opportunities whose current forecast books an order
    in M0, without_h_quote those of them with no H Potential quote yet.
    """
    opportunity = pl.col("effective_phase") == "opportunity"
    due = opportunity & (pl.col("order_amount_m0") > 0)
    zero = pl.lit(Decimal(0), dtype=pl.Decimal(38, 6))

    summary = deals.group_by("account_manager").agg(
        pl.len().alias("deals"),
        _phase_sum("mass_production", "expected").alias("mp_expected"),
        _phase_sum("mold_development", "expected").alias("mold_expected"),
        _phase_sum("opportunity", "open_forecast_sales").alias("pipeline"),
        pl.when(opportunity)
        .then(pl.col("weighted_open_forecast"))
        .otherwise(zero)
        .sum()
        .round(2)
        .cast(pl.Decimal(18, 2))
        .alias("weighted_pipeline"),
        due.sum().alias("due_this_month"),
        (due & ~pl.col("has_h_potential_quote")).sum().alias("without_h_quote"),
    )

    share = (
        pl.col("weighted_pipeline").cast(pl.Decimal(38, 6)) / gap
        if gap > 0
        else pl.lit(None, dtype=pl.Decimal(38, 6))
    )
    alerts = pl.DataFrame(
        {
            "account_manager": list(open_alerts),
            "open_alerts": list(open_alerts.values()),
        },
        schema={"account_manager": pl.String, "open_alerts": pl.Int64},
    )
    return (
        summary.with_columns(share.round(4).alias("gap_share"))
        .join(alerts, on="account_manager", how="left")
        .with_columns(pl.col("open_alerts").fill_null(0))
        .sort("account_manager")
    )


def _phase_sum(phase: str, column: str) -> pl.Expr:
    amount = pl.when(pl.col("effective_phase") == phase).then(pl.col(column))
    return amount.otherwise(pl.lit(Decimal(0), dtype=pl.Decimal(18, 2))).sum()


def deals_in_scope(cur: duckdb.DuckDBPyConnection, actor: Actor) -> pl.DataFrame:
    """Every deal the viewer may see: id, name, line, track, manager, stage, phase."""
    return _frame(cur, "drilldown_deals_in_scope", _scope(actor))


def version_differences(
    cur: duckdb.DuckDBPyConnection, as_of: date, actor: Actor
) -> pl.DataFrame:
    """Each precision submission up to D that differs from the rolling one current then.

    The comparison of the version_diff alert (warehouse.facts.version_diffs),
    in the viewer's scope, with the deal's name and customer, the direction
    (rules.alerts.version_direction) and precision − rolling in total sales and
    order amount, CNY over every month of the two submissions. Newest first.
    """
    diffs = facts.version_diffs(cur, AsOf(as_of))
    deals = deals_in_scope(cur, actor).select("deal_id", "deal_name", "customer")
    diffs = diffs.join(deals, on="deal_id", how="inner")

    directions = [
        version_direction(
            row["precision_sales"],
            row["rolling_sales"],
            row["precision_orders"],
            row["rolling_orders"],
        )
        for row in diffs.iter_rows(named=True)
    ]
    return diffs.with_columns(
        pl.Series("direction", directions, dtype=pl.String),
        (pl.col("precision_sales") - pl.col("rolling_sales")).alias("sales_difference"),
        (pl.col("precision_orders") - pl.col("rolling_orders")).alias(
            "order_difference"
        ),
        pl.col("precision_at").dt.quarter().alias("quarter"),
    ).sort("precision_at", "deal_id", descending=[True, False])


def version_difference_months(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    precision_at: datetime,
    actor: Actor = OPERATOR,
) -> pl.DataFrame:
    """One precision submission against the rolling one current then, month by month.

    Empty when the deal is outside the viewer's scope, like a deal with no
    such submission.
    """
    # A deal outside the scope reads like one without that submission: no rows.
    header = _frame(cur, "drilldown_deal", {"deal_id": deal_id, **_scope(actor)})
    params = {
        "deal_id": None if header.is_empty() else deal_id,
        "precision_at": precision_at,
    }
    return _frame(cur, "drilldown_dual_version_months", params)


def version_difference_by_quarter(differences: pl.DataFrame) -> pl.DataFrame:
    """Per quarter of submission: Σ (precision − rolling) in CNY and how many differ."""
    return (
        differences.group_by("quarter")
        .agg(
            pl.col("sales_difference").sum(),
            pl.col("order_difference").sum(),
            pl.len().alias("submissions"),
        )
        .sort("quarter")
    )


def conversion_deals(
    cur: duckdb.DuckDBPyConnection, as_of: date, actor: Actor
) -> pl.DataFrame:
    """Every deal created by D with its outcome (won, lost, open) and amounts."""
    return _frame(cur, "drilldown_conversion", {"as_of": as_of, **_scope(actor)})


def conversion_summary(deals: pl.DataFrame, by: str) -> pl.DataFrame:
    """Per value of `by`: deals won, lost, open; win rate = won ÷ (won + lost); CNY.

    `by` is customer, track or created_quarter (the quarter a deal was created).

    Amounts: the current forecast's order amount of every deal, of the won
    ones, and the won deals' mold and product sales (the product split the
    data allows: extracts carry no product dimension).
    """
    won = pl.col("outcome") == "won"
    lost = pl.col("outcome") == "lost"
    zero = pl.lit(Decimal(0), dtype=pl.Decimal(38, 2))

    summary = deals.group_by(by).agg(
        pl.len().alias("deals"),
        won.sum().alias("won"),
        lost.sum().alias("lost"),
        (pl.col("outcome") == "open").sum().alias("open"),
        pl.col("forecast_order_amount").sum().alias("order_amount"),
        pl.when(won)
        .then(pl.col("forecast_order_amount"))
        .otherwise(zero)
        .sum()
        .alias("won_order_amount"),
        pl.when(won)
        .then(pl.col("forecast_mold_sales"))
        .otherwise(zero)
        .sum()
        .alias("won_mold_sales"),
        pl.when(won)
        .then(pl.col("forecast_product_sales"))
        .otherwise(zero)
        .sum()
        .alias("won_product_sales"),
        pl.col("actual_orders").sum().alias("actual_orders"),
    )

    decided = pl.col("won") + pl.col("lost")
    return summary.with_columns(
        pl.when(decided > 0)
        .then(pl.col("won") / decided)
        .otherwise(None)
        .alias("win_rate")
    ).sort(by)


def snapshot_changes(
    cur: duckdb.DuckDBPyConnection,
    from_label: str,
    to_label: str,
    actor: Actor,
) -> pl.DataFrame:
    """Integrated deals that changed between two snapshots, with the change.

    `difference` is later − earlier forecast sales (CNY) over the later
    snapshot's year; a lost deal counts its earlier value as lost.
    """
    to_month = date.fromisoformat(f"{to_label}-01")
    params = {
        "from_label": from_label,
        "to_label": to_label,
        "to_month": to_month,
        **_scope(actor),
    }
    return _frame(cur, "drilldown_snapshot_changes", params)


def snapshot_changes_by_track(changes: pl.DataFrame) -> pl.DataFrame:
    """Per track and change: how many deals and Σ difference in forecast sales (CNY)."""
    return (
        changes.group_by("track", "change")
        .agg(pl.len().alias("deals"), pl.col("difference").sum())
        .sort("track", "change")
    )


def baseline_comparison(
    baseline: pl.DataFrame, expectations: pl.DataFrame, deals: pl.DataFrame
) -> pl.DataFrame:
    """Per deal: the current baseline's sales for Y beside today's expected E (CNY).

    `baseline` is warehouse.baselines.current_baseline(), `expectations`
    warehouse.board.deal_expectations(), `deals` deals_in_scope(). A deal
    lost since the baseline has no E: it counts 0 and shows its phase as lost.
    difference = E − baseline sales.
    """
    money = pl.Decimal(18, 2)
    current = expectations.select("deal_id", pl.col("expected").cast(money))
    phase_now = deals.select("deal_id", pl.col("effective_phase").alias("phase_now"))
    return (
        baseline.join(current, on="deal_id", how="left")
        .join(phase_now, on="deal_id", how="left")
        .with_columns(pl.col("expected").fill_null(Decimal(0)).cast(money))
        .with_columns(
            (pl.col("expected") - pl.col("sales")).cast(money).alias("difference")
        )
        .sort("track", "deal_id")
    )


def commodity_pipeline(
    cur: duckdb.DuckDBPyConnection, as_of: date, actor: Actor
) -> pl.DataFrame:
    """Commodity opportunities by stage: count, Σ order amount in open months (CNY)."""
    return _frame(
        cur, "drilldown_commodity_pipeline", {"as_of": as_of, **_scope(actor)}
    )


def review_notes(
    cur: duckdb.DuckDBPyConnection, account_manager: str, as_of: date, actor: Actor
) -> pl.DataFrame:
    """The review notes and tasks for one manager up to D's month, newest first."""
    params = {"account_manager": account_manager, "as_of": as_of, **_scope(actor)}
    return _frame(cur, "drilldown_review_notes", params)


def record_review_note(
    warehouse: Warehouse,
    actor: Actor,
    *,
    review_month: date,
    track: str,
    account_manager: str,
    kind: str,
    body: str,
    due_on: date | None = None,
) -> int:
    """Append one audited review note or task; the track's director or the CEO only."""
    require(
        actor,
        "record_review",
        track=track,
        subject=(f"客户经理“{account_manager}”", f"for '{account_manager}'"),
    )
    body = body.strip()
    if kind not in REVIEW_KINDS or not body:
        raise ForecastError(
            "复盘记录没有保存：内容不能为空，类型须为“意见”或“任务”。请填写后再保存。",
            "The review entry was not saved: it needs some text, and its type must "
            "be a note or a task. Fill it in and save again.",
        )

    month = review_month.replace(day=1)
    with warehouse.transaction() as cur:
        row = cur.execute(
            "INSERT INTO review_notes"
            " (review_month, track, account_manager, kind, body, due_on, written_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING note_id",
            [month, track, account_manager, kind, body, due_on, actor.name],
        ).fetchall()
        note_id = int(row[0][0])
        audit.record(
            cur,
            actor.name,
            "review.note",
            account_manager,
            {"note_id": note_id, "track": track, "kind": kind, "month": month},
        )

    log.info(
        "review %s %d for %s recorded by %s", kind, note_id, account_manager, actor.name
    )
    return note_id
