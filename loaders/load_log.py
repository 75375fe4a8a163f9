"""The load log: one append-only row per load attempt — loaded, unchanged, rejected."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from warehouse.sql import query

# The log keeps the first problems of a refused file; the user saw them all.
LOGGED_PROBLEMS = 50


@dataclass(frozen=True)
class Attempt:
    """One load attempt as the log records it."""

    load_id: int
    kind: str
    file_name: str
    sha256: str
    outcome: str  # loaded | unchanged | rejected
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    problem_count: int
    detail: dict[str, Any]
    user_name: str
    started_at: dt.datetime
    finished_at: dt.datetime


def next_load_id(cur: duckdb.DuckDBPyConnection) -> int:
    """A new load number."""
    ((load_id,),) = cur.execute("SELECT nextval('load_id_seq')").fetchall()
    return int(load_id)


def previous_load(
    cur: duckdb.DuckDBPyConnection, kind: str, sha256: str
) -> tuple[int, int] | None:
    """(load_id, rows_read) of an earlier successful load of the same content."""
    # fetchall: a DuckDB 2.0 result holds the cursor until fully fetched.
    rows = cur.execute(query("loaders", "previous_load"), [kind, sha256]).fetchall()
    return (int(rows[0][0]), int(rows[0][1])) if rows else None


def record(cur: duckdb.DuckDBPyConnection, attempt: Attempt) -> None:
    """Append the attempt inside the caller's transaction."""
    cur.execute(
        query("loaders", "record_load"),
        [
            attempt.load_id,
            attempt.kind,
            attempt.file_name,
            attempt.sha256,
            attempt.outcome,
            attempt.rows_read,
            attempt.rows_loaded,
            attempt.rows_rejected,
            attempt.problem_count,
            json.dumps(attempt.detail, ensure_ascii=False, default=str),
            attempt.user_name,
            attempt.started_at,
            attempt.finished_at,
        ],
    )
