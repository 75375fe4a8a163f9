"""Monthly snapshots: frozen once, never replaced, chained by SHA-256, verified."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from tests.warehouse.builders import (
    REWRITES,
    add_deal,
    add_forecast,
    add_user,
    audit_entries,
    first_column,
    row_counts,
)
from warehouse import Warehouse
from warehouse.errors import (
    ForecastError,
    LockedHistory,
    PermissionDenied,
    WorkflowError,
)
from warehouse.snapshots import list_snapshots, take_snapshot, verify_chain

GOVERNANCE_TABLES = ["snapshots", "snapshot_deals", "snapshot_forecasts", "audit_log"]


def counts(warehouse: Warehouse) -> dict[str, int]:
    return row_counts(warehouse, GOVERNANCE_TABLES)


def drop_guards(cur: duckdb.DuckDBPyConnection, table: str) -> None:
    """What someone editing the file behind the product's back would do first."""
    cur.execute(f"DROP TRIGGER {table}_no_update ON {table}")
    cur.execute(f"DROP TRIGGER {table}_no_delete ON {table}")


@pytest.fixture
def world(warehouse: Warehouse) -> Warehouse:
    """Two deals; D1 with rolling revisions before and after as-of, and precision."""
    with warehouse.transaction() as cur:
        add_deal(cur, "D1", name="门板模具")
        add_deal(cur, "D2", phase="opportunity", stage="Secured", track="medical")
        add_forecast(cur, "D1", "rolling", "2026-01-10 09:00", "2026-03", "100", sets=1)
        add_forecast(cur, "D1", "rolling", "2026-02-10 09:00", "2026-03", "120", sets=2)
        add_forecast(cur, "D1", "rolling", "2026-02-10 09:00", "2026-04", mold="30")
        add_forecast(
            cur, "D1", "precision", "2026-02-15 15:30", "2026-03", "90", sets=1
        )
        add_forecast(cur, "D1", "rolling", "2026-03-10 09:00", "2026-03", "999", sets=9)
        add_forecast(cur, "D2", "rolling", "2026-02-01 08:00", "2026-05", mold="5")
    return warehouse


def test_take_snapshot_freezes_deals_and_current_submissions(world: Warehouse) -> None:
    info = take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))

    with world.cursor() as cur:
        deals = cur.execute(
            "SELECT deal_id, effective_phase FROM snapshot_deals"
            " WHERE label = '2026-02' ORDER BY deal_id"
        ).fetchall()
        frozen = cur.execute(
            "SELECT deal_id, version, submitted_at, month, order_amount"
            " FROM snapshot_forecasts WHERE label = '2026-02'"
            " ORDER BY deal_id, version, month"
        ).fetchall()

    # D2 is an opportunity at Secured: effective phase mold_development (SPEC §4).
    assert deals == [("D1", "opportunity"), ("D2", "mold_development")]
    # D1: latest rolling ≤ 2026-02-28 is the 02-10 revision (2 months), the
    # precision one of 02-15 (1 month); the 03-10 revision is after as-of.
    assert frozen == [
        ("D1", "rolling", datetime(2026, 2, 10, 9), date(2026, 3, 1), Decimal("120")),
        ("D1", "rolling", datetime(2026, 2, 10, 9), date(2026, 4, 1), Decimal("0")),
        (
            "D1",
            "precision",
            datetime(2026, 2, 15, 15, 30),
            date(2026, 3, 1),
            Decimal("90"),
        ),
        ("D2", "rolling", datetime(2026, 2, 1, 8), date(2026, 5, 1), Decimal("0")),
    ]
    assert (info.deal_count, info.forecast_rows) == (2, 4)
    assert info.month == date(2026, 2, 1)


def test_take_snapshot_content_hash_is_canonical_text(world: Warehouse) -> None:
    info = take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))

    # Rebuild the documented canonical text by hand: header line, then one JSON
    # array per deal and per forecast row, sorted, joined by newlines.
    def line(*values: object) -> str:
        return json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)

    header = line(
        "snapshot",
        "2026-02",
        "2026-02-01",
        "2026-02-28",
        info.taken_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "operator",
        "2",
        "4",
    )
    deal = ["integrated", None, None]  # business_line, profit_center, customer
    rows = [
        line("deal", "D1", "门板模具", deal[0], "auto", "amy", None, None,
             "opportunity", "M Potential", "opportunity", "2025-06-01", None,
             None, None),
        line("deal", "D2", None, deal[0], "medical", "amy", None, None,
             "opportunity", "Secured", "mold_development", "2025-06-01", None,
             None, None),
        line("forecast", "D1", "rolling", "2026-02-10 09:00:00.000000",
             "2026-03-01", "120.00", "2", "0.00", "0.00"),
        line("forecast", "D1", "rolling", "2026-02-10 09:00:00.000000",
             "2026-04-01", "0.00", "0", "30.00", "0.00"),
        line("forecast", "D1", "precision", "2026-02-15 15:30:00.000000",
             "2026-03-01", "90.00", "1", "0.00", "0.00"),
        line("forecast", "D2", "rolling", "2026-02-01 08:00:00.000000",
             "2026-05-01", "0.00", "0", "5.00", "0.00"),
    ]  # fmt: skip
    text = header + "\n" + "\n".join(sorted(rows))

    assert info.content_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert info.previous_chain_sha256 is None
    assert info.chain_sha256 == hashlib.sha256(info.content_sha256.encode()).hexdigest()


def test_take_snapshot_chains_to_the_previous_label(world: Warehouse) -> None:
    first = take_snapshot(world, "2026-01", as_of=date(2026, 1, 31))
    second = take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))

    # chain = sha256(previous chain || content), hex text concatenated.
    expected = hashlib.sha256(
        (first.chain_sha256 + second.content_sha256).encode()
    ).hexdigest()
    assert second.previous_chain_sha256 == first.chain_sha256
    assert second.chain_sha256 == expected
    with world.cursor() as cur:
        assert [s.label for s in list_snapshots(cur)] == ["2026-01", "2026-02"]


def test_take_snapshot_existing_label_refused_and_first_untouched(
    world: Warehouse,
) -> None:
    first = take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))
    with world.cursor() as cur:
        rows_before = cur.execute(
            "SELECT * FROM snapshot_forecasts ORDER BY ALL"
        ).fetchall()
    before = counts(world)

    # New facts arrive, then someone tries to retake the month.
    with world.transaction() as cur:
        add_forecast(cur, "D2", "precision", "2026-03-01 08:00", "2026-05", "7")
    with pytest.raises(LockedHistory, match="never replaced") as refused:
        take_snapshot(world, "2026-02", as_of=date(2026, 3, 31))

    with world.cursor() as cur:
        (again,) = list_snapshots(cur)
        rows_after = cur.execute(
            "SELECT * FROM snapshot_forecasts ORDER BY ALL"
        ).fetchall()
    assert again == first
    assert rows_after == rows_before
    assert counts(world) == before
    assert "2026-02" in refused.value.zh and "2026-02" in refused.value.en


def test_take_snapshot_earlier_label_than_latest_refused(world: Warehouse) -> None:
    take_snapshot(world, "2026-03", as_of=date(2026, 3, 31))
    before = counts(world)

    with pytest.raises(WorkflowError, match="2026-03"):
        take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))

    assert counts(world) == before


@pytest.mark.parametrize("label", ["2026-13", "2026-00", "2026-3", "March", ""])
def test_take_snapshot_bad_label_refused(world: Warehouse, label: str) -> None:
    with pytest.raises(ForecastError, match="YYYY-MM"):
        take_snapshot(world, label, as_of=date(2026, 2, 28))

    assert counts(world)["snapshots"] == 0


def test_take_snapshot_non_admin_refused(world: Warehouse) -> None:
    with world.transaction() as cur:
        add_user(cur, "ann", "analyst")
    before = counts(world)

    with pytest.raises(PermissionDenied, match="admin"):
        take_snapshot(world, "2026-02", as_of=date(2026, 2, 28), user_name="ann")

    assert counts(world) == before


def test_take_snapshot_audited_with_who(world: Warehouse) -> None:
    with world.transaction() as cur:
        add_user(cur, "ada", "admin")

    take_snapshot(world, "2026-02", as_of=date(2026, 2, 28), user_name="ada")

    entries = audit_entries(world)
    assert entries == [("ada", "snapshot.take", "2026-02")]


@pytest.mark.parametrize("table", GOVERNANCE_TABLES)
@pytest.mark.parametrize("statement", REWRITES)
def test_snapshot_tables_refuse_rewrite_through_sql(
    world: Warehouse, table: str, statement: str
) -> None:
    take_snapshot(world, "2026-02", as_of=date(2026, 2, 28))
    before = counts(world)

    with world.cursor() as cur:
        column = first_column(cur, table)
        with pytest.raises(duckdb.Error, match="append-only|never"):
            cur.execute(statement.format(t=table, c=column))

    assert counts(world) == before


def three_snapshots(warehouse: Warehouse) -> None:
    take_snapshot(warehouse, "2026-01", as_of=date(2026, 1, 31))
    take_snapshot(warehouse, "2026-02", as_of=date(2026, 2, 28))
    take_snapshot(warehouse, "2026-03", as_of=date(2026, 3, 31))


def test_verify_chain_intact_is_ok(world: Warehouse) -> None:
    three_snapshots(world)

    with world.cursor() as cur:
        result = verify_chain(cur)

    assert (result.ok, result.checked, result.first_broken) == (True, 3, None)


def test_verify_chain_empty_warehouse_is_ok(warehouse: Warehouse) -> None:
    with warehouse.cursor() as cur:
        result = verify_chain(cur)

    assert (result.ok, result.checked) == (True, 0)


# Each way of changing February behind the product's back, and the snapshots
# that then fail. Changing frozen content changes February's recomputed chain,
# on which March's link was built, so March fails too; replacing only a stored
# hash leaves the recomputed chain as it was, so only February fails.
BOTH = ["2026-02", "2026-03"]
TAMPERING = {
    "forecast amount changed": (
        "snapshot_forecasts",
        "UPDATE snapshot_forecasts SET order_amount = order_amount + 0.01"
        " WHERE label = '2026-02' AND deal_id = 'D1' AND version = 'precision'",
        BOTH,
    ),
    "forecast row removed": (
        "snapshot_forecasts",
        "DELETE FROM snapshot_forecasts WHERE label = '2026-02' AND deal_id = 'D2'",
        BOTH,
    ),
    "forecast row added": (
        "snapshot_forecasts",
        "INSERT INTO snapshot_forecasts SELECT * FROM snapshot_forecasts"
        " WHERE label = '2026-02' AND deal_id = 'D2'",
        BOTH,
    ),
    "deal stage changed": (
        "snapshot_deals",
        "UPDATE snapshot_deals SET stage = 'H Potential'"
        " WHERE label = '2026-02' AND deal_id = 'D1'",
        BOTH,
    ),
    "deal removed": (
        "snapshot_deals",
        "DELETE FROM snapshot_deals WHERE label = '2026-02' AND deal_id = 'D2'",
        BOTH,
    ),
    "as-of date changed": (
        "snapshots",
        "UPDATE snapshots SET as_of = DATE '2026-02-27' WHERE label = '2026-02'",
        BOTH,
    ),
    "content hash replaced": (
        "snapshots",
        "UPDATE snapshots SET content_sha256 = sha256('forged')"
        " WHERE label = '2026-02'",
        ["2026-02"],
    ),
    "chain hash replaced": (
        "snapshots",
        "UPDATE snapshots SET chain_sha256 = sha256('forged') WHERE label = '2026-02'",
        ["2026-02"],
    ),
}


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_verify_chain_tampering_names_first_broken_snapshot(
    world: Warehouse, tampering: str
) -> None:
    three_snapshots(world)
    table, statement, failing = TAMPERING[tampering]
    with world.cursor() as cur:
        drop_guards(cur, table)
        cur.execute(statement)

    with world.cursor() as cur:
        result = verify_chain(cur)

    assert not result.ok
    assert result.first_broken == "2026-02"
    assert [b.label for b in result.broken] == failing
    assert "2026-02" in result.text("en") and "2026-02" in result.text("zh")


def test_verify_chain_deleted_snapshot_breaks_the_next(world: Warehouse) -> None:
    three_snapshots(world)
    with world.cursor() as cur:
        for table in ("snapshots", "snapshot_deals", "snapshot_forecasts"):
            drop_guards(cur, table)
            cur.execute(f"DELETE FROM {table} WHERE label = '2026-02'")

    with world.cursor() as cur:
        result = verify_chain(cur)

    assert result.first_broken == "2026-03"
    assert "changed or removed" in (result.reason or "")


def test_verify_chain_deleted_record_with_rows_left_named(world: Warehouse) -> None:
    three_snapshots(world)
    with world.cursor() as cur:
        drop_guards(cur, "snapshots")
        cur.execute("DELETE FROM snapshots WHERE label = '2026-01'")

    with world.cursor() as cur:
        result = verify_chain(cur)

    assert result.first_broken == "2026-01"
    assert [b.label for b in result.broken] == ["2026-01", "2026-02", "2026-03"]
