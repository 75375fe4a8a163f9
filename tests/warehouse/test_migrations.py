"""The baseline migration workflow: request, approve or reject, execute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from rules.settings import load_settings
from tests.warehouse.builders import add_deal, add_forecast, add_user, row_counts
from warehouse import Warehouse
from warehouse.baselines import BaselineMonth, baseline_history, take_baseline
from warehouse.errors import (
    ForecastError,
    LockedHistory,
    NotFound,
    PermissionDenied,
    WorkflowError,
)
from warehouse.migrations import (
    approve_migration,
    execute_migration,
    list_migrations,
    reject_migration,
    request_migration,
    split_baseline,
)
from warehouse.users import Actor

GOVERNANCE_TABLES = [
    "baselines",
    "baseline_versions",
    "baseline_months",
    "migrations",
    "migration_steps",
    "snapshots",
    "audit_log",
]


def counts(warehouse: Warehouse) -> dict[str, int]:
    return row_counts(warehouse, GOVERNANCE_TABLES)


def secure(warehouse: Warehouse, deal_id: str) -> None:
    """A later CRM load in which the deal was won (deals hold the latest load)."""
    with warehouse.transaction() as cur:
        cur.execute("UPDATE deals SET stage = 'Secured' WHERE deal_id = ?", [deal_id])


@pytest.fixture
def world(warehouse: Warehouse) -> Warehouse:
    """Users, deals of every phase, and the 2026 baseline taken on 2026-01-05.

    OPP1's baseline: March mold 100,000 and June product 200,000 (T = 300,000),
    expected order March 400,000. OPP2 has no forecast (a zero baseline). OPP3
    is bob's, in track med: May mold 50,000, expected order May 70,000. NEW is
    created after the baseline.
    """
    with warehouse.transaction() as cur:
        add_user(cur, "amy", "account_manager")
        add_user(cur, "bob", "account_manager")
        add_user(cur, "dan", "track_director", "auto")
        add_user(cur, "eve", "track_director", "med")
        add_user(cur, "ada", "admin")
        add_user(cur, "cat", "ceo")
        add_deal(cur, "OPP1")
        add_deal(cur, "OPP2", stage="L Potential")
        add_deal(cur, "OPP3", stage="H Potential", track="med", manager="bob")
        add_deal(cur, "MOLD", phase="mold_development", stage="Secured")
        add_deal(cur, "MP", phase="mass_production", stage="Secured")
        add_deal(cur, "LOST", stage="Lost")
        # Every forecast row is of one precision submission.
        for deal_id, month, amounts in [
            ("OPP1", "2026-03", {"order": "400000", "mold": "100000"}),
            ("OPP1", "2026-06", {"product": "200000"}),
            ("OPP3", "2026-05", {"order": "70000", "mold": "50000"}),
            ("MOLD", "2026-04", {"mold": "80000"}),
            ("MP", "2026-04", {"product": "90000"}),
        ]:
            add_forecast(
                cur, deal_id, "precision", "2025-12-15 10:00", month, **amounts
            )
    take_baseline(warehouse, 2026, as_of=date(2026, 1, 5))
    with warehouse.transaction() as cur:
        add_deal(cur, "NEW")
    return warehouse


def request(
    warehouse: Warehouse,
    user: str = "amy",
    from_deal: str = "OPP1",
    to_deal: str = "OPP2",
    amount: str | None = None,
    year: int = 2026,
    reason: str = "OPP1 slipped to 2027; OPP2 replaces it",
) -> int:
    return request_migration(
        warehouse,
        year=year,
        from_deal=from_deal,
        to_deal=to_deal,
        amount=None if amount is None else Decimal(amount),
        reason=reason,
        user_name=user,
        today=date(2026, 3, 2),
    )


STEPS: dict[str, Callable[..., None]] = {
    "approve": lambda wh, mid, user, **kw: approve_migration(
        wh, mid, user_name=user, today=date(2026, 3, 2), **kw
    ),
    "reject": lambda wh, mid, user, note="not now", **kw: reject_migration(
        wh, mid, user_name=user, note=note, today=date(2026, 3, 2), **kw
    ),
    "execute": lambda wh, mid, user, **kw: execute_migration(
        wh, mid, user_name=user, today=date(2026, 3, 3), **kw
    ),
}


@pytest.mark.parametrize(
    ("user", "from_deal", "to_deal", "amount", "year", "error"),
    [
        ("amy", "OPP1", "OPP1", None, 2026, WorkflowError),  # same deal
        ("amy", "MOLD", "OPP2", None, 2026, LockedHistory),  # old locked
        ("amy", "MP", "OPP2", None, 2026, LockedHistory),  # old locked
        ("amy", "OPP1", "MOLD", None, 2026, LockedHistory),  # new locked
        ("amy", "OPP1", "MP", None, 2026, LockedHistory),  # new locked
        ("amy", "LOST", "OPP2", None, 2026, WorkflowError),  # old not opportunity
        ("amy", "OPP1", "LOST", None, 2026, WorkflowError),  # new not opportunity
        ("bob", "OPP1", "OPP2", None, 2026, PermissionDenied),  # not its manager
        ("dan", "OPP1", "OPP2", None, 2026, PermissionDenied),  # a director
        ("ada", "OPP1", "OPP2", None, 2026, PermissionDenied),  # an admin
        ("zed", "OPP1", "OPP2", None, 2026, NotFound),  # no such user
        ("amy", "OPP1", "NOPE", None, 2026, NotFound),  # no such deal
        ("amy", "OPP1", "OPP2", None, 2027, WorkflowError),  # no 2027 baseline
        ("amy", "NEW", "OPP2", None, 2026, WorkflowError),  # old has no baseline
        ("amy", "OPP2", "OPP1", None, 2026, WorkflowError),  # zero baseline
        ("amy", "OPP1", "OPP2", "300000.01", 2026, WorkflowError),  # above T
        ("amy", "OPP1", "OPP2", "0", 2026, WorkflowError),
        ("amy", "OPP1", "OPP2", "-5", 2026, WorkflowError),
    ],
)
def test_request_migration_refused_writes_nothing(
    world: Warehouse,
    user: str,
    from_deal: str,
    to_deal: str,
    amount: str | None,
    year: int,
    error: type[ForecastError],
) -> None:
    before = counts(world)

    with pytest.raises(error) as refused:
        request(world, user, from_deal, to_deal, amount, year)

    assert counts(world) == before
    # Both messages are whole sentences that say nothing was changed or why.
    assert refused.value.zh.endswith("。") and refused.value.en.endswith(".")


def test_request_migration_blank_reason_refused(world: Warehouse) -> None:
    before = counts(world)

    with pytest.raises(ForecastError, match="reason"):
        request(world, reason="  ")

    assert counts(world) == before


def test_request_migration_old_deal_secured_since_baseline_refused(
    world: Warehouse,
) -> None:
    secure(world, "OPP1")
    before = counts(world)

    with pytest.raises(LockedHistory, match="OPP1"):
        request(world)

    assert counts(world) == before


@pytest.mark.parametrize(
    ("prior", "step", "user", "kwargs", "error"),
    [
        ([], "approve", "eve", {}, PermissionDenied),  # director of another track
        ([], "approve", "amy", {}, PermissionDenied),  # the requester
        ([], "approve", "ada", {}, PermissionDenied),  # an admin
        ([], "approve", "cat", {}, PermissionDenied),  # the CEO
        ([], "reject", "eve", {}, PermissionDenied),
        ([], "reject", "dan", {"note": " "}, ForecastError),  # no note
        ([("approve", "dan")], "approve", "dan", {}, WorkflowError),  # twice
        ([("approve", "dan")], "reject", "dan", {}, WorkflowError),
        ([("reject", "dan")], "approve", "dan", {}, WorkflowError),
        ([("reject", "dan")], "reject", "dan", {}, WorkflowError),
        ([], "execute", "ada", {}, WorkflowError),  # before approval
        ([("reject", "dan")], "execute", "ada", {}, WorkflowError),  # rejected
        ([("approve", "dan"), ("execute", "ada")], "execute", "ada", {}, WorkflowError),
        ([("approve", "dan")], "execute", "dan", {}, PermissionDenied),  # not admin
        ([("approve", "dan")], "execute", "amy", {}, PermissionDenied),
    ],
)
def test_migration_step_refused_writes_nothing(
    world: Warehouse,
    prior: list[tuple[str, str]],
    step: str,
    user: str,
    kwargs: dict[str, str],
    error: type[ForecastError],
) -> None:
    mid = request(world)
    for done, by in prior:
        STEPS[done](world, mid, by)
    before = counts(world)

    with pytest.raises(error):
        STEPS[step](world, mid, user, **kwargs)

    assert counts(world) == before


@pytest.mark.parametrize("step", ["approve", "reject", "execute"])
def test_migration_step_unknown_id_refused(world: Warehouse, step: str) -> None:
    before = counts(world)

    with pytest.raises(NotFound, match="999"):
        STEPS[step](world, 999, "operator")

    assert counts(world) == before


@pytest.mark.parametrize(
    ("secured", "after", "step"),
    [
        ("OPP2", [], "approve"),  # the new deal was won before the decision
        ("OPP1", [("approve", "dan")], "execute"),  # the old one before execution
        ("OPP2", [("approve", "dan")], "execute"),
    ],
)
def test_migration_step_deal_locked_since_request_refused(
    world: Warehouse, secured: str, after: list[tuple[str, str]], step: str
) -> None:
    mid = request(world)
    for done, by in after:
        STEPS[done](world, mid, by)
    secure(world, secured)
    before = counts(world)

    with pytest.raises(LockedHistory, match=secured):
        STEPS[step](world, mid, "operator")

    assert counts(world) == before


def test_execute_migration_step_dated_before_approval_refused(world: Warehouse) -> None:
    mid = request(world)
    approve_migration(world, mid, user_name="dan", today=date(2026, 3, 4))
    before = counts(world)

    with pytest.raises(WorkflowError, match="2026-03-04"):
        execute_migration(world, mid, user_name="ada", today=date(2026, 3, 3))

    assert counts(world) == before


def test_migration_happy_path_writes_new_versions_and_keeps_old(
    world: Warehouse,
) -> None:
    with world.cursor() as cur:
        old_v1 = baseline_history(cur, "OPP1")
        new_v1 = baseline_history(cur, "OPP2")

    mid = request(world, amount="120000")
    approve_migration(world, mid, user_name="dan", note="ok", today=date(2026, 3, 2))
    execute_migration(world, mid, user_name="ada", today=date(2026, 3, 3))

    with world.cursor() as cur:
        old = baseline_history(cur, "OPP1")
        new = baseline_history(cur, "OPP2")
        (info,) = list_migrations(cur, today=date(2026, 3, 3))
        audit = cur.execute(
            "SELECT user_name, action, subject FROM audit_log"
            " WHERE action LIKE 'migration.%' ORDER BY audit_id"
        ).fetchall()

    # Moving 120,000 of T = 300,000 moves 40 % of every cell: March mold
    # 100,000 → 40,000 moves; June product 200,000 → 80,000 moves; the March
    # order 400,000 → 160,000 moves.
    assert old[0] == old_v1[0] and new[0] == new_v1[0]
    assert [v.version for v in old] == [1, 2] and [v.version for v in new] == [1, 2]
    assert old[1].months == (
        BaselineMonth(date(2026, 3, 1), Decimal("100000") - 40000, Decimal("0")),
        BaselineMonth(date(2026, 6, 1), Decimal("0"), Decimal("200000") - 80000),
    )
    assert old[1].expected_order_amount == Decimal("400000") - 160000
    assert old[1].expected_order_month == date(2026, 3, 1)
    assert new[1].months == (
        BaselineMonth(date(2026, 3, 1), Decimal("40000"), Decimal("0")),
        BaselineMonth(date(2026, 6, 1), Decimal("0"), Decimal("80000")),
    )
    # OPP2 had no expected order of its own: it takes the old deal's month.
    assert new[1].expected_order_month == date(2026, 3, 1)
    assert new[1].expected_order_amount == Decimal("160000")
    assert old[1].sales + new[1].sales == old_v1[0].sales
    assert (old[1].migration_id, new[1].migration_id) == (mid, mid)
    assert old[1].written_at.date() == date(2026, 3, 3)

    assert (info.status, info.decided_by, info.executed_by) == (
        "executed",
        "dan",
        "ada",
    )
    assert info.overdue is False
    assert audit == [
        ("amy", "migration.request", str(mid)),
        ("dan", "migration.approve", str(mid)),
        ("ada", "migration.execute", str(mid)),
    ]


def test_migration_default_amount_moves_the_whole_baseline(world: Warehouse) -> None:
    mid = request(world, to_deal="OPP3")
    for step, user in [("approve", "dan"), ("execute", "ada")]:
        STEPS[step](world, mid, user)

    with world.cursor() as cur:
        old = baseline_history(cur, "OPP1")[-1]
        new = baseline_history(cur, "OPP3")[-1]
        (info,) = list_migrations(cur)

    # Default amount: OPP1's whole baseline, 100,000 + 200,000.
    assert info.amount == Decimal("300000")
    assert (old.months, old.expected_order_amount, old.expected_order_month) == (
        (),
        Decimal("0"),
        None,
    )
    # OPP3 keeps its own May order month and adds OPP1's 400,000 order to its
    # own 70,000; its May mold 50,000 stays beside the moved months.
    assert new.expected_order_month == date(2026, 5, 1)
    assert new.expected_order_amount == Decimal("70000") + Decimal("400000")
    assert [(m.month.month, m.sales) for m in new.months] == [
        (3, Decimal("100000")),
        (5, Decimal("50000")),
        (6, Decimal("200000")),
    ]


def test_migration_to_deal_without_baseline_starts_at_version_one(
    world: Warehouse,
) -> None:
    mid = request(world, to_deal="NEW", amount="30000")
    for step, user in [("approve", "dan"), ("execute", "ada")]:
        STEPS[step](world, mid, user)

    with world.cursor() as cur:
        (new,) = baseline_history(cur, "NEW")

    # 30,000 of 300,000 is 10 %: March mold 10,000, June product 20,000.
    assert new.version == 1
    assert new.sales == Decimal("10000") + Decimal("20000")


def test_migration_operator_may_take_every_step_in_order(world: Warehouse) -> None:
    mid = request(world, user="operator")
    approve_migration(world, mid, user_name="operator", today=date(2026, 3, 2))
    execute_migration(world, mid, user_name="operator", today=date(2026, 3, 2))

    with world.cursor() as cur:
        (info,) = list_migrations(cur)
    assert (info.requested_by, info.status) == ("operator", "executed")


def test_migration_second_execution_after_partial_respects_what_is_left(
    world: Warehouse,
) -> None:
    first = request(world, amount="200000")
    second = request(world, amount="200000")
    for mid in (first, second):
        STEPS["approve"](world, mid, "dan")
    STEPS["execute"](world, first, "ada")
    before = counts(world)

    # Only 300,000 − 200,000 = 100,000 is left in OPP1's baseline.
    with pytest.raises(WorkflowError, match="100000"):
        STEPS["execute"](world, second, "ada")

    assert counts(world) == before


@pytest.mark.parametrize(
    ("handling_days", "today", "due_on", "overdue"),
    [
        # Approved 2026-03-02; due = approval + handling_days.
        (2, date(2026, 3, 3), date(2026, 3, 2) + timedelta(days=2), False),
        (2, date(2026, 3, 4), date(2026, 3, 2) + timedelta(days=2), False),
        (2, date(2026, 3, 5), date(2026, 3, 2) + timedelta(days=2), True),
        (5, date(2026, 3, 5), date(2026, 3, 2) + timedelta(days=5), False),
        (5, date(2026, 3, 8), date(2026, 3, 2) + timedelta(days=5), True),
    ],
)
def test_list_migrations_overdue_after_handling_days(
    world: Warehouse, handling_days: int, today: date, due_on: date, overdue: bool
) -> None:
    mid = request(world)
    STEPS["approve"](world, mid, "dan")
    settings = load_settings(handling_days=handling_days)

    with world.cursor() as cur:
        (info,) = list_migrations(cur, today=today, settings=settings)

    assert (info.status, info.due_on, info.overdue) == ("approved", due_on, overdue)


def test_list_migrations_executed_late_is_no_longer_overdue(world: Warehouse) -> None:
    mid = request(world)
    STEPS["approve"](world, mid, "dan")
    execute_migration(world, mid, user_name="ada", today=date(2026, 3, 9))

    with world.cursor() as cur:
        (info,) = list_migrations(cur, today=date(2026, 3, 10))

    assert (info.status, info.overdue) == ("executed", False)
    assert info.executed_at.date() == date(2026, 3, 9)


def test_list_migrations_pending_request_has_no_due_date(world: Warehouse) -> None:
    request(world)

    with world.cursor() as cur:
        (info,) = list_migrations(cur, today=date(2026, 12, 31))

    assert (info.status, info.due_on, info.overdue) == ("requested", None, False)


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        (Actor("amy", "account_manager", (), "amy"), True),
        (Actor("bob", "account_manager", (), "bob"), False),
        (Actor("dan", "track_director", ("auto",)), True),
        (Actor("eve", "track_director", ("med",)), False),
        (Actor("cat", "ceo"), True),
        (Actor("ada", "admin"), True),
    ],
)
def test_list_migrations_scope_follows_old_deal(
    world: Warehouse, actor: Actor, sees: bool
) -> None:
    request(world)

    with world.cursor() as cur:
        found = list_migrations(cur, actor)

    assert len(found) == (1 if sees else 0)


def month(n: int, mold: str = "0", product: str = "0") -> BaselineMonth:
    return BaselineMonth(date(2026, n, 1), Decimal(mold), Decimal(product))


@pytest.mark.parametrize(
    ("months", "order", "amount", "moved", "moved_order"),
    [
        # 100 of 300 is a third: 100/3 = 33.33, 200/3 = 66.67; Σ = 100.00.
        (
            [month(3, "100"), month(4, "0", "200")],
            "300",
            "100",
            [month(3, "33.33"), month(4, "0", "66.67")],
            "100.00",
        ),
        # A third of three 1.00 cells: 0.33 each loses a cent to rounding,
        # settled on the first of the (equal) largest cells.
        (
            [month(3, "1"), month(4, "1"), month(5, "1")],
            "0",
            "1",
            [month(3, "0.34"), month(4, "0.33"), month(5, "0.33")],
            "0",
        ),
        # Half of 0.01 + 0.01 rounds both halves to 0.00 (half-even); the cent
        # goes to the first cell.
        ([month(3, "0.01"), month(4, "0.01")], "0", "0.01", [month(3, "0.01")], "0"),
        # Everything moves: moved = the whole baseline, the whole order.
        (
            [month(3, "10", "5"), month(7, "0", "20")],
            "40",
            "35",
            [month(3, "10", "5"), month(7, "0", "20")],
            "40",
        ),
    ],
)
def test_split_baseline_moves_exactly_the_amount(
    months: list[BaselineMonth],
    order: str,
    amount: str,
    moved: list[BaselineMonth],
    moved_order: str,
) -> None:
    split = split_baseline(tuple(months), Decimal(order), Decimal(amount))

    assert list(split.moved) == moved
    assert split.moved_order == Decimal(moved_order)
    assert split.kept_order == Decimal(order) - Decimal(moved_order)
    assert sum(m.sales for m in split.moved) == Decimal(amount)
    assert sum(m.sales for m in split.kept) + Decimal(amount) == sum(
        m.sales for m in months
    )


@pytest.mark.parametrize("amount", ["0", "-1", "15.01"])
def test_split_baseline_amount_outside_baseline_refused(amount: str) -> None:
    with pytest.raises(ValueError):
        split_baseline((month(3, "10", "5"),), Decimal("0"), Decimal(amount))


def test_migration_step_time_is_recorded_for_trace(world: Warehouse) -> None:
    mid = request(world)
    STEPS["approve"](world, mid, "dan")

    with world.cursor() as cur:
        steps = cur.execute(
            "SELECT step, user_name, step_at FROM migration_steps ORDER BY step_at"
        ).fetchall()

    assert [(s, u, at.date()) for s, u, at in steps] == [
        ("requested", "amy", date(2026, 3, 2)),
        ("approved", "dan", date(2026, 3, 2)),
    ]
    assert all(isinstance(at, datetime) for _, _, at in steps)
