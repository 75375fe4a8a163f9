"""Rows the warehouse tests insert by SQL (deals, forecast rows, users) and read back.

The builders write straight into the extract tables, as a load would have left
them (load 1), so that a test states only the facts it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import duckdb

from warehouse import Warehouse
from warehouse.sql import quote_ident

# The two ways of rewriting history through plain SQL that the triggers refuse:
# {t} is the table, {c} one of its columns.
REWRITES = ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"]


def add_deal(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    *,
    phase: str = "opportunity",
    stage: str = "M Potential",
    track: str = "auto",
    manager: str = "amy",
    name: str | None = None,
) -> None:
    """Insert an integrated deal created on 2025-06-01 by load 1."""
    cur.execute(
        "INSERT INTO deals (deal_id, deal_name, business_line, track, account_manager,"
        " phase, stage, created_on, load_id)"
        " VALUES (?, ?, 'integrated', ?, ?, ?, ?, DATE '2025-06-01', 1)",
        [deal_id, name, track, manager, phase, stage],
    )


def add_forecast(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    version: str,
    submitted_at: str,
    month: str,
    order: str = "0",
    mold: str = "0",
    product: str = "0",
    *,
    sets: int = 0,
) -> None:
    """Insert one month of a submission (month as YYYY-MM, amounts as text)."""
    cur.execute(
        "INSERT INTO forecasts (deal_id, version, submitted_at, month, order_amount,"
        " mold_sets, mold_sales, product_sales, load_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [
            deal_id,
            version,
            datetime.fromisoformat(submitted_at),
            date.fromisoformat(month + "-01"),
            Decimal(order),
            sets,
            Decimal(mold),
            Decimal(product),
        ],
    )


def add_user(
    cur: duckdb.DuckDBPyConnection, name: str, role: str, *tracks: str
) -> None:
    """Insert a user; an account manager is the account manager of its own name."""
    manager = name if role == "account_manager" else None
    cur.execute(
        "INSERT INTO users (name, role, tracks, account_manager) VALUES (?, ?, ?, ?)",
        [name, role, list(tracks), manager],
    )


def row_counts(warehouse: Warehouse, tables: Sequence[str]) -> dict[str, int]:
    """The number of rows in each of the tables, by table name."""
    with warehouse.cursor() as cur:
        return {
            t: cur.execute(f"SELECT count(*) FROM {quote_ident(t)}").fetchone()[0]
            for t in tables
        }


def audit_entries(warehouse: Warehouse) -> list[tuple[str, str, str]]:
    """Who did what to which subject, for every entry of the audit log."""
    with warehouse.cursor() as cur:
        return cur.execute(
            "SELECT user_name, action, subject FROM audit_log"
        ).fetchall()


def first_column(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    """The name of one column of the table, for a rewrite that changes nothing."""
    return cur.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? LIMIT 1",
        [table],
    ).fetchone()[0]
