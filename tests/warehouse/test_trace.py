"""The year-end trace: a deal's forecast revisions, snapshots, baselines and
migrations, in time order."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.warehouse.builders import add_deal, add_forecast, add_user
from warehouse import Warehouse
from warehouse.baselines import take_baseline
from warehouse.errors import NotFound, PermissionDenied
from warehouse.migrations import (
    approve_migration,
    execute_migration,
    request_migration,
)
from warehouse.snapshots import take_snapshot
from warehouse.trace import TraceEvent, deal_trace
from warehouse.users import Actor

# OPP1's submissions: (version, submitted_at, month, order, mold, product).
FORECASTS = [
    ("rolling", "2025-12-10 09:00", "2026-03", "400000", "100000", "0"),
    ("rolling", "2025-12-10 09:00", "2026-06", "0", "0", "200000"),
    ("rolling", "2026-02-10 09:00", "2026-03", "300000", "90000", "0"),
    ("precision", "2026-02-20 14:00", "2026-04", "350000", "100000", "0"),
]


@pytest.fixture
def migrated(warehouse: Warehouse) -> Warehouse:
    """OPP1's year: two rolling revisions and a precision one, the baseline,
    three snapshots, and a migration of 120,000 of its baseline to OPP2."""
    with warehouse.transaction() as cur:
        add_deal(cur, "OPP1", track="auto", manager="amy")
        add_deal(cur, "OPP2", track="auto", manager="amy")
        add_deal(cur, "OTHER", track="med", manager="bob")
        add_user(cur, "amy", "account_manager")
        add_user(cur, "bob", "account_manager")
        add_user(cur, "dan", "track_director", "auto")
        add_user(cur, "eve", "track_director", "med")
        add_user(cur, "ada", "admin")
        # Each month of OPP1's submissions is one mold set.
        for row in FORECASTS:
            add_forecast(cur, "OPP1", *row, sets=1)

    take_baseline(warehouse, 2026, as_of=date(2026, 1, 5))
    take_snapshot(warehouse, "2026-01", as_of=date(2026, 1, 31))
    take_snapshot(warehouse, "2026-02", as_of=date(2026, 2, 28))
    mid = request_migration(
        warehouse,
        year=2026,
        from_deal="OPP1",
        to_deal="OPP2",
        amount=Decimal("120000"),
        reason="OPP1 shrank",
        user_name="amy",
        today=date(2026, 3, 2),
    )
    approve_migration(warehouse, mid, user_name="dan", today=date(2026, 3, 3))
    execute_migration(warehouse, mid, user_name="ada", today=date(2026, 3, 4))
    take_snapshot(warehouse, "2026-03", as_of=date(2026, 3, 31))
    return warehouse


def key(event: TraceEvent) -> tuple[str, object]:
    detail = event.detail
    return {
        "forecast": lambda: ("forecast", (detail["version"], detail["revision"])),
        "snapshot": lambda: ("snapshot", detail["label"]),
        "baseline": lambda: ("baseline", detail["version"]),
        "migration": lambda: ("migration", detail["step"]),
    }[event.kind]()


def test_deal_trace_of_migrated_deal_in_time_order(migrated: Warehouse) -> None:
    with migrated.cursor() as cur:
        events = deal_trace(cur, "OPP1")

    assert [key(e) for e in events] == [
        ("forecast", ("rolling", 1)),  # 2025-12-10
        ("baseline", 1),  # as of 2026-01-05
        ("snapshot", "2026-01"),  # as of 2026-01-31
        ("forecast", ("rolling", 2)),  # 2026-02-10
        ("forecast", ("precision", 1)),  # 2026-02-20
        ("snapshot", "2026-02"),  # as of 2026-02-28
        ("migration", "requested"),  # 2026-03-02
        ("migration", "approved"),  # 2026-03-03
        ("migration", "executed"),  # 2026-03-04
        ("baseline", 2),  # written by that execution
        ("snapshot", "2026-03"),  # as of 2026-03-31
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[6].at.date() == date(2026, 3, 2)


def test_deal_trace_carries_totals_of_each_event(migrated: Warehouse) -> None:
    with migrated.cursor() as cur:
        events = {key(e): e.detail for e in deal_trace(cur, "OPP1")}

    # Rolling revision 1: orders 400,000; sales 100,000 mold + 200,000 product.
    first = events[("forecast", ("rolling", 1))]
    assert (first["order_amount"], first["sales"], first["months"]) == (
        Decimal("400000"),
        Decimal("100000") + Decimal("200000"),
        2,
    )
    # The February snapshot froze rolling revision 2 and the precision one.
    february = events[("snapshot", "2026-02")]
    assert february["effective_phase"] == "opportunity"
    assert february["rolling_order_amount"] == Decimal("300000")
    assert february["precision_order_amount"] == Decimal("350000")
    assert events[("snapshot", "2026-01")]["precision_order_amount"] is None
    # Baseline v2 = v1 (300,000) less the 120,000 moved.
    assert events[("baseline", 1)]["sales"] == Decimal("300000")
    assert events[("baseline", 2)]["sales"] == Decimal("300000") - Decimal("120000")
    assert events[("migration", "executed")]["side"] == "from"


def test_deal_trace_of_receiving_deal_shows_migration_and_new_version(
    migrated: Warehouse,
) -> None:
    with migrated.cursor() as cur:
        events = deal_trace(cur, "OPP2")

    assert [key(e) for e in events] == [
        ("baseline", 1),
        ("snapshot", "2026-01"),
        ("snapshot", "2026-02"),
        ("migration", "requested"),
        ("migration", "approved"),
        ("migration", "executed"),
        ("baseline", 2),
        ("snapshot", "2026-03"),
    ]
    assert events[5].detail["side"] == "to"
    assert events[6].detail["sales"] == Decimal("120000")


def test_deal_trace_json_rounds_amounts(migrated: Warehouse) -> None:
    with migrated.cursor() as cur:
        rows = [e.as_dict() for e in deal_trace(cur, "OPP1")]

    text = json.dumps(rows, ensure_ascii=False)
    assert json.loads(text)[0] == {
        "at": "2025-12-10 09:00:00",
        "kind": "forecast",
        "version": "rolling",
        "revision": 1,
        "submitted_at": "2025-12-10 09:00:00",
        "months": 2,
        "order_amount": 400000.0,
        "mold_sets": 2,
        "mold_sales": 100000.0,
        "product_sales": 200000.0,
        "sales": 300000.0,
    }


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (Actor("amy", "account_manager", (), "amy"), True),
        (Actor("bob", "account_manager", (), "bob"), False),
        (Actor("dan", "track_director", ("auto",)), True),
        (Actor("eve", "track_director", ("med",)), False),
        (Actor("cat", "ceo"), True),
    ],
)
def test_deal_trace_scope_follows_role(
    migrated: Warehouse, actor: Actor, allowed: bool
) -> None:
    with migrated.cursor() as cur:
        if allowed:
            assert deal_trace(cur, "OPP1", actor)
        else:
            with pytest.raises(PermissionDenied, match="OPP1"):
                deal_trace(cur, "OPP1", actor)


def test_deal_trace_unknown_deal_not_found(migrated: Warehouse) -> None:
    with migrated.cursor() as cur, pytest.raises(NotFound, match="NOPE"):
        deal_trace(cur, "NOPE")
