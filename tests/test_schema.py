"""The warehouse schema: versioned upgrades in place and append-only history."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse import Warehouse, schema

APPEND_ONLY = [
    "load_log",
    "audit_log",
    "forecasts",
    "deal_versions",
    "quote_versions",
    "target_versions",
    "shipment_versions",
    "wip_plan_versions",
    "snapshots",
    "snapshot_deals",
    "snapshot_forecasts",
]


def test_upgrade_new_file_reaches_latest_version(warehouse: Warehouse) -> None:
    latest = max(number for number, _, _ in schema.upgrades())

    with warehouse.cursor() as cur:
        assert schema.current_version(cur) == latest


def test_upgrade_existing_file_applies_only_missing_versions(db_path: Path) -> None:
    first_number, first_name, first_text = schema.upgrades()[0]
    con = duckdb.connect(str(db_path))
    schema.current_version(con)
    for statement in schema.split_statements(first_text):
        con.execute(statement)
    con.execute(
        "INSERT INTO schema_version (version, name) VALUES (?, ?)",
        [first_number, first_name],
    )
    con.execute(
        "INSERT INTO audit_log (user_name, action)"
        " VALUES ('analyst', 'kept across upgrade')"
    )
    con.close()

    with Warehouse(db_path) as wh, wh.cursor() as cur:
        kept = cur.execute("SELECT action FROM audit_log").fetchall()
        versions = [
            v
            for (v,) in cur.execute(
                "SELECT version FROM schema_version ORDER BY 1"
            ).fetchall()
        ]

    assert kept == [("kept across upgrade",)]
    assert versions == [number for number, _, _ in schema.upgrades()]


@pytest.mark.parametrize("table", APPEND_ONLY)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
def test_append_only_table_refuses_rewrite(
    warehouse: Warehouse, table: str, statement: str
) -> None:
    with warehouse.cursor() as cur:
        column = cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? LIMIT 1",
            [table],
        ).fetchone()[0]
        with pytest.raises(duckdb.Error, match="append-only|never"):
            cur.execute(statement.format(t=table, c=column))


def test_transaction_rolls_back_everything_on_error(warehouse: Warehouse) -> None:
    with pytest.raises(duckdb.Error), warehouse.transaction() as cur:
        cur.execute("INSERT INTO audit_log (user_name, action) VALUES ('a', 'half')")
        cur.execute("INSERT INTO no_such_table VALUES (1)")

    with warehouse.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
