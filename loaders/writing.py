"""Writing checked rows into the warehouse, set-based, inside the caller's transaction.

Latest-wins kinds (deals, quotes, targets, shipments, wip_plan) append every
incoming row to their *_versions history and upsert the current table;
forecasts and orders only insert rows not already loaded. Each kind's
statements live in `write_<kind>.sql` and read the rows from the view
`incoming`. Extra columns go to load_extras.
"""

from __future__ import annotations

import logging

import duckdb
import polars as pl
import pyarrow as pa

from loaders.extracts import Policy
from loaders.validation import Parsed
from loaders.warehouse_checks import WarehouseCheck, registered
from warehouse.schema import split_statements
from warehouse.sql import query

log = logging.getLogger(__name__)


def write(
    cur: duckdb.DuckDBPyConnection, parsed: Parsed, check: WarehouseCheck, load_id: int
) -> int:
    """Write the rows of an accepted file as load `load_id`; return rows written."""
    rows: pl.DataFrame | pa.Table = parsed.arrow
    if parsed.extract.policy is Policy.INSERT_ONLY and check.skipped_lines.len():
        rows = parsed.frame.filter(
            ~pl.col("line_no").is_in(check.skipped_lines.implode())
        )

    with registered(cur, rows):
        for statement in split_statements(
            query("loaders", f"write_{parsed.extract.kind}")
        ):
            log.debug("load %d: %s", load_id, statement.splitlines()[0])
            cur.execute(statement, {"load_id": load_id})

    if parsed.extras.height:
        with registered(cur, parsed.extras, "incoming_extras"):
            cur.execute(
                "INSERT INTO load_extras"
                " SELECT ?, line_no, extras FROM incoming_extras",
                [load_id],
            )
    return len(rows)
