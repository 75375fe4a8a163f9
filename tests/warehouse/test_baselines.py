"""Annual baselines: the year-start commitment, taken once, versioned, locked."""

from __future__ import annotations

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
from warehouse.baselines import (
    BaselineMonth,
    BaselineVersion,
    append_version,
    baseline_history,
    current_baseline,
    refuse_if_locked,
    take_baseline,
)
from warehouse.errors import LockedHistory, PermissionDenied
from warehouse.users import Actor

GOVERNANCE_TABLES = [
    "baselines",
    "baseline_versions",
    "baseline_months",
    "migrations",
    "migration_steps",
    "audit_log",
]


def counts(warehouse: Warehouse) -> dict[str, int]:
    return row_counts(warehouse, GOVERNANCE_TABLES)


@pytest.fixture
def world(warehouse: Warehouse) -> Warehouse:
    """An opportunity with rolling then precision forecasts, and one deal per phase."""
    with warehouse.transaction() as cur:
        add_deal(cur, "OPP")
        add_deal(cur, "WON", stage="Secured")
        add_deal(cur, "MOLD", phase="mold_development", stage="Secured")
        add_deal(cur, "MP", phase="mass_production", stage="Secured", track="med")
        add_deal(cur, "LOST", stage="Lost")
        # OPP rolling: superseded by the precision submission below.
        add_forecast(cur, "OPP", "rolling", "2025-11-01 09:00", "2026-02", "900")
        # OPP precision (current at 2026-01-05): an order in 2025-12 (not this
        # year), a zero order in 2026-02, orders in 2026-04 and 2026-06; sales
        # in 2025-12 (not this year), 2026-05 and 2026-07; a later submission
        # after the as-of date that must not count.
        add_forecast(cur, "OPP", "precision", "2025-12-15 10:00", "2025-12", "50", "7")
        add_forecast(cur, "OPP", "precision", "2025-12-15 10:00", "2026-02", "0")
        add_forecast(cur, "OPP", "precision", "2025-12-15 10:00", "2026-04", "400")
        add_forecast(cur, "OPP", "precision", "2025-12-15 10:00", "2026-05", "0", "100")
        add_forecast(cur, "OPP", "precision", "2025-12-15 10:00", "2026-06", "80")
        add_forecast(
            cur, "OPP", "precision", "2025-12-15 10:00", "2026-07", "0", "20", "30.5"
        )
        add_forecast(cur, "OPP", "precision", "2026-01-20 10:00", "2026-03", "777")
        add_forecast(
            cur, "MP", "rolling", "2025-12-01 10:00", "2026-01", "0", "0", "60"
        )
        add_forecast(
            cur, "MP", "rolling", "2025-12-01 10:00", "2026-02", "0", "0", "60"
        )
        add_forecast(cur, "LOST", "rolling", "2025-12-01 10:00", "2026-02", "5", "5")
    return warehouse


def latest(frame_rows: list[dict], deal_id: str) -> dict:
    return next(row for row in frame_rows if row["deal_id"] == deal_id)


def test_take_baseline_commits_expected_order_and_monthly_sales(
    world: Warehouse,
) -> None:
    info = take_baseline(world, 2026, as_of=date(2026, 1, 5))

    with world.cursor() as cur:
        rows = current_baseline(cur, 2026).to_dicts()
        (opp,) = [v for v in baseline_history(cur, "OPP")]

    # Every deal but LOST: OPP, WON, MOLD, MP; WON (Secured) counts as
    # mold_development, so WON, MOLD and MP are locked.
    assert sorted(r["deal_id"] for r in rows) == ["MOLD", "MP", "OPP", "WON"]
    assert (info.deal_count, info.locked_count) == (4, 3)

    # OPP's precision submission of 2025-12-15 is current at 2026-01-05. Its
    # first positive order in 2026 is April, 400.
    assert opp.expected_order_month == date(2026, 4, 1)
    assert opp.expected_order_amount == Decimal("400")
    # Sales in 2026: May mold 100; July mold 20 + product 30.5 → 150.5.
    assert opp.months == (
        BaselineMonth(date(2026, 5, 1), Decimal("100"), Decimal("0")),
        BaselineMonth(date(2026, 7, 1), Decimal("20"), Decimal("30.5")),
    )
    assert opp.sales == Decimal("100") + Decimal("20") + Decimal("30.5")
    assert (opp.version, opp.effective_phase, opp.locked) == (1, "opportunity", False)

    # MP: no order this year; sales 60 + 60 product.
    mp = latest(rows, "MP")
    assert mp["expected_order_month"] is None
    assert mp["expected_order_amount"] == Decimal("0")
    assert mp["sales"] == Decimal("60") + Decimal("60")
    assert (mp["effective_phase"], mp["locked"]) == ("mass_production", True)
    assert (latest(rows, "WON")["effective_phase"], latest(rows, "WON")["locked"]) == (
        "mold_development",
        True,
    )


@pytest.mark.parametrize(
    ("orders", "expected_month", "expected_amount"),
    [
        # (month, order_amount) of the current forecast → first positive in 2026.
        ([("2026-03", "10"), ("2026-05", "20")], date(2026, 3, 1), "10"),
        ([("2026-03", "0"), ("2026-05", "20")], date(2026, 5, 1), "20"),
        ([("2025-12", "30"), ("2026-08", "5")], date(2026, 8, 1), "5"),
        ([("2026-03", "0"), ("2027-01", "9")], None, "0"),
        ([], None, "0"),
    ],
)
def test_take_baseline_expected_order_is_first_positive_month(
    warehouse: Warehouse,
    orders: list[tuple[str, str]],
    expected_month: date | None,
    expected_amount: str,
) -> None:
    with warehouse.transaction() as cur:
        add_deal(cur, "D")
        for month, amount in orders:
            add_forecast(cur, "D", "rolling", "2025-12-01 09:00", month, amount)

    take_baseline(warehouse, 2026, as_of=date(2026, 1, 2))

    with warehouse.cursor() as cur:
        (version,) = baseline_history(cur, "D")
    assert version.expected_order_month == expected_month
    assert version.expected_order_amount == Decimal(expected_amount)


def test_take_baseline_twice_refused_and_nothing_written(world: Warehouse) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))
    before = counts(world)

    with pytest.raises(LockedHistory, match="2026") as refused:
        take_baseline(world, 2026, as_of=date(2026, 2, 1))

    assert counts(world) == before
    assert "2026" in refused.value.zh


def test_take_baseline_non_admin_refused(world: Warehouse) -> None:
    with world.transaction() as cur:
        add_user(cur, "dan", "track_director", "auto")
    before = counts(world)

    with pytest.raises(PermissionDenied):
        take_baseline(world, 2026, as_of=date(2026, 1, 5), user_name="dan")

    assert counts(world) == before


def test_take_baseline_audited_with_who(world: Warehouse) -> None:
    with world.transaction() as cur:
        add_user(cur, "ada", "admin")

    take_baseline(world, 2026, as_of=date(2026, 1, 5), user_name="ada")

    entries = audit_entries(world)
    assert entries == [("ada", "baseline.take", "2026")]


@pytest.mark.parametrize("table", GOVERNANCE_TABLES)
@pytest.mark.parametrize("statement", REWRITES)
def test_governance_tables_refuse_rewrite_through_sql(
    world: Warehouse, table: str, statement: str
) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))
    with world.transaction() as cur:
        cur.execute(
            "INSERT INTO migrations VALUES (1, 2026, 'OPP', 'WON', 1, 'r', 'amy',"
            " TIMESTAMP '2026-02-01 09:00')"
        )
        cur.execute(
            "INSERT INTO migration_steps VALUES (1, 'requested', 'amy',"
            " TIMESTAMP '2026-02-01 09:00', 'r', TIMESTAMP '2026-02-01 09:00')"
        )
    before = counts(world)

    with world.cursor() as cur:
        column = first_column(cur, table)
        with pytest.raises(duckdb.Error, match="append-only|never"):
            cur.execute(statement.format(t=table, c=column))

    assert counts(world) == before


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        (Actor("ceo", "ceo"), ["MOLD", "MP", "OPP", "WON"]),
        (Actor("dan", "track_director", ("auto",)), ["MOLD", "OPP", "WON"]),
        (Actor("meg", "track_director", ("med",)), ["MP"]),
        (Actor("amy", "account_manager", (), "amy"), ["MOLD", "MP", "OPP", "WON"]),
        (Actor("bob", "account_manager", (), "bob"), []),
    ],
)
def test_current_baseline_scope_follows_role(
    world: Warehouse, actor: Actor, visible: list[str]
) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))

    with world.cursor() as cur:
        frame = current_baseline(cur, 2026, actor)

    assert sorted(frame["deal_id"].to_list()) == visible


def test_refuse_if_locked_at_baseline_time(world: Warehouse) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))

    with world.cursor() as cur, pytest.raises(LockedHistory, match="locked"):
        refuse_if_locked(cur, 2026, "MOLD")


def test_refuse_if_locked_deal_secured_since_baseline(world: Warehouse) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))
    # A later CRM load: OPP was won (deals hold the latest loaded attributes).
    with world.transaction() as cur:
        cur.execute("UPDATE deals SET stage = 'Secured' WHERE deal_id = 'OPP'")

    with world.cursor() as cur:
        with pytest.raises(LockedHistory, match="now"):
            refuse_if_locked(cur, 2026, "OPP")
        locked = current_baseline(cur, 2026).filter(deal_id="OPP")["locked"]

    assert locked.to_list() == [True]


def version_of(deal_id: str, version: int, *, locked: bool = False) -> BaselineVersion:
    return BaselineVersion(
        year=2026,
        deal_id=deal_id,
        version=version,
        business_line="integrated",
        track="auto",
        account_manager="amy",
        effective_phase="opportunity",
        locked=locked,
        expected_order_month=None,
        expected_order_amount=Decimal("0"),
        written_at=datetime(2026, 3, 1, 9),
        written_by="ada",
        migration_id=None,
        months=(BaselineMonth(date(2026, 6, 1), Decimal("1"), Decimal("2")),),
    )


def test_append_version_keeps_every_earlier_version(world: Warehouse) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))

    with world.transaction() as cur:
        append_version(cur, version_of("OPP", 2))

    with world.cursor() as cur:
        history = baseline_history(cur, "OPP")
        row = current_baseline(cur, 2026).filter(deal_id="OPP").to_dicts()[0]
    assert [v.version for v in history] == [1, 2]
    assert history[0].sales == Decimal("150.5")
    assert (row["version"], row["sales"]) == (2, Decimal("1") + Decimal("2"))


def test_append_version_locked_deal_refused(world: Warehouse) -> None:
    take_baseline(world, 2026, as_of=date(2026, 1, 5))
    before = counts(world)

    with pytest.raises(LockedHistory), world.transaction() as cur:
        append_version(cur, version_of("MP", 2))

    assert counts(world) == before
