"""Checking parsed rows against what the warehouse already holds.

Runs inside the load's own transaction (or on a plain cursor for a dry run),
so that what it finds is what the write will meet: forecasts and quotes must
name a known deal; forecast submissions and SAP orders already loaded are
skipped when identical and refused when different; latest-wins kinds count
what they would add and replace; shipments count those that match no deal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from loaders.extracts import Policy
from loaders.report import Problem
from loaders.validation import Parsed
from warehouse.sql import query

INCOMING = "incoming"


@dataclass(frozen=True)
class WarehouseCheck:
    """Problems found against the warehouse, rows to skip, and what would change."""

    problems: list[Problem] = field(default_factory=list)
    skipped_lines: pl.Series = field(
        default_factory=lambda: pl.Series("line_no", [], dtype=pl.Int64)
    )
    counts: dict[str, int] = field(default_factory=dict)


@contextmanager
def registered(
    cur: duckdb.DuckDBPyConnection,
    frame: pl.DataFrame | pa.Table,
    name: str = INCOMING,
) -> Iterator[None]:
    """Expose a frame to SQL as view `name` for the duration of a block."""
    cur.register(name, frame)
    try:
        yield
    finally:
        cur.unregister(name)


def check(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> WarehouseCheck:
    """Everything the warehouse has to say about these rows."""
    extract = parsed.extract
    if parsed.table is None or parsed.frame.height == 0:
        return WarehouseCheck()

    problems: list[Problem] = []
    skipped = pl.Series("line_no", [], dtype=pl.Int64)
    counts: dict[str, int] = {}
    with registered(cur, parsed.arrow):
        if extract.needs_known_deal and "deal_id" in parsed.headers:
            problems += _unknown_deals(cur, parsed)

        if extract.policy is Policy.INSERT_ONLY:
            found, skipped = _already_loaded(cur, parsed)
            problems += found
            counts["inserted"] = parsed.frame.height - skipped.len()
            counts["skipped_identical"] = skipped.len()
        else:
            counts |= _changes(cur, parsed)

        if extract.kind == "shipments":
            (unmatched,) = _one(cur, query("loaders", "unmatched_shipments"))
            counts["unmatched_shipments"] = int(unmatched)

    if parsed.extras.height:
        counts["rows_with_extras"] = parsed.extras.height
    return WarehouseCheck(problems, skipped, counts)


def _one(cur: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    # fetchall: a DuckDB 2.0 result holds the cursor until fully fetched.
    (row,) = cur.execute(sql).fetchall()
    return row


def _unknown_deals(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> list[Problem]:
    unknown = cur.sql(query("loaders", "unknown_deals")).pl()["deal_id"]
    if unknown.len() == 0:
        return []

    header = parsed.headers["deal_id"]
    rows = parsed.frame.filter(pl.col("deal_id").is_in(unknown.implode()))
    return [
        Problem.of("unknown_deal", line, header, deal_id)
        for line, deal_id in rows.select("line_no", "deal_id").iter_rows()
    ]


def _already_loaded(
    cur: duckdb.DuckDBPyConnection, parsed: Parsed
) -> tuple[list[Problem], pl.Series]:
    """Rows whose key is already in the warehouse: different ones are problems."""
    kind = parsed.extract.kind
    existing = cur.sql(query("loaders", f"existing_{kind}")).pl()
    if existing.height == 0:
        return [], pl.Series("line_no", [], dtype=pl.Int64)

    skipped = existing.filter(pl.col("identical"))["line_no"]
    different = existing.filter(~pl.col("identical"))["line_no"]
    rows = parsed.frame.filter(pl.col("line_no").is_in(different.implode()))
    if kind == "forecasts":
        key = parsed.extract.key
        label = "+".join(parsed.headers[name] for name in key if name in parsed.headers)
        problems = [
            Problem.of(
                "forecast_exists",
                line,
                label,
                f"{deal_id} / {version} / {submitted_at:%Y-%m-%d %H:%M:%S}"
                f" / {month:%Y-%m}",
            )
            for line, deal_id, version, submitted_at, month in rows.select(
                "line_no", "deal_id", "version", "submitted_at", "month"
            ).iter_rows()
        ]
    else:
        header = parsed.headers["order_no"]
        problems = [
            Problem.of("order_exists", line, header, order_no)
            for line, order_no in rows.select("line_no", "order_no").iter_rows()
        ]
    return problems, skipped


def _changes(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> dict[str, int]:
    """For latest-wins kinds: rows that are new, that replace, that match."""
    inserted, replaced = _one(cur, query("loaders", f"compare_{parsed.extract.kind}"))
    inserted, replaced = int(inserted or 0), int(replaced or 0)
    return {
        "inserted": inserted,
        "replaced": replaced,
        "identical": parsed.frame.height - inserted - replaced,
    }
