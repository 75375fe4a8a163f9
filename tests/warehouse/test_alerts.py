"""Alerts of SPEC §5 over rows inserted straight into the warehouse.

Each case is worked out by hand from the SPEC; D is given per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import duckdb
import pytest

from rules.settings import Settings
from tests.rules.facts_builder import FactsBuilder
from warehouse import Warehouse
from warehouse.alerts import escalate_alert, handle_alert, list_alerts, run_check
from warehouse.errors import PermissionDenied, WorkflowError
from warehouse.users import Actor, add_user

SETTINGS = Settings()


@pytest.fixture
def facts(warehouse: Warehouse) -> Iterator[FactsBuilder]:
    with warehouse.cursor() as cur:
        yield FactsBuilder(cur)


def kinds(alerts: list) -> list[tuple[str, str, str]]:
    return [(a.kind, a.subject, a.period) for a in alerts]


ROLLING_AT = "2026-03-01 09:00:00"
PRECISION_AT = "2026-03-05 15:00:00"


@pytest.mark.parametrize(
    ("rolling", "precision", "direction"),
    [
        # (month, order, sets, mold, product) rows of each submission
        ([("2026-07", 500, 1, 100, 0)], [("2026-07", 500, 1, 100, 0)], None),  # equal
        # only the timing differs: same totals → reshaped
        ([("2026-07", 0, 0, 0, 300)], [("2026-08", 0, 0, 0, 300)], "reshaped"),
        # precision sales 250 < rolling 300 → shortfall
        ([("2026-07", 0, 0, 0, 300)], [("2026-07", 0, 0, 0, 250)], "shortfall"),
        # sales equal, order 600 > 500 → upside
        ([("2026-07", 500, 0, 0, 300)], [("2026-07", 600, 0, 0, 300)], "upside"),
        # only the mold sets differ: same sales and orders → reshaped
        ([("2026-07", 0, 1, 100, 0)], [("2026-07", 0, 2, 100, 0)], "reshaped"),
        # a month of zeros on one side only is no difference
        (
            [("2026-07", 0, 0, 0, 300)],
            [("2026-07", 0, 0, 0, 300), ("2026-09", 0, 0, 0, 0)],
            None,
        ),
        # no rolling submission before the precision one: compared with zeros
        ([], [("2026-07", 0, 0, 0, 300)], "upside"),
    ],
)
def test_check_version_diff_against_rolling_current_at_submission(
    warehouse: Warehouse,
    facts: FactsBuilder,
    rolling: list[tuple[str, int, int, int, int]],
    precision: list[tuple[str, int, int, int, int]],
    direction: str | None,
) -> None:
    facts.deal("D1", stage="H Potential")
    for month, order, sets, mold, product in rolling:
        facts.forecast(
            "D1", ROLLING_AT, month, order=order, sets=sets, mold=mold, product=product
        )
    for month, order, sets, mold, product in precision:
        facts.forecast(
            "D1",
            PRECISION_AT,
            month,
            version="precision",
            order=order,
            sets=sets,
            mold=mold,
            product=product,
        )

    raised = run_check(warehouse, date(2026, 3, 10), SETTINGS)

    diffs = [a for a in raised if a.kind == "version_diff"]
    if direction is None:
        assert diffs == []
    else:
        assert [(a.deal_id, a.period, a.direction) for a in diffs] == [
            ("D1", "2026-03-05T15:00:00", direction)
        ]
        assert diffs[0].route == "track_director"
        assert diffs[0].due_on == date(2026, 3, 12)  # raised on D + 2 days


def test_check_version_diff_uses_rolling_current_then_and_ignores_after_d(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.deal("D1", stage="H Potential")
    facts.forecast("D1", "2026-03-01 09:00:00", "2026-07", product=300)
    facts.forecast(
        "D1", "2026-03-05 15:00:00", "2026-07", product=300, version="precision"
    )
    # a later rolling revision is not the one current at the precision submission
    facts.forecast("D1", "2026-03-06 09:00:00", "2026-07", product=100)
    # a precision submission after D is not seen yet
    facts.forecast(
        "D1", "2026-03-11 09:00:00", "2026-07", product=50, version="precision"
    )
    facts.deal("C1", business_line="commodity", stage="H Potential")
    facts.forecast("C1", "2026-03-01 09:00:00", "2026-07", product=300)
    facts.forecast(
        "C1", "2026-03-05 15:00:00", "2026-07", product=1, version="precision"
    )

    raised = run_check(warehouse, date(2026, 3, 10), SETTINGS)

    assert [a for a in raised if a.kind == "version_diff"] == []


def add_booking_opportunity(facts: FactsBuilder) -> None:
    facts.deal("O1", stage="M Potential", track="T1", manager="amy")
    facts.forecast("O1", "2026-06-01 09:00:00", "2026-06", order=800, product=0)
    facts.quote("O1", "M Potential", "2026-06-02")  # not H Potential
    facts.quote("O1", "H Potential", "2026-06-26")  # dated after D
    facts.deal("O2", stage="M Potential")
    facts.forecast("O2", "2026-06-01 09:00:00", "2026-06", order=800)
    facts.quote("O2", "Secured", "2026-06-20")  # later than H Potential: fine
    facts.deal("O3", stage="M Potential")
    facts.forecast("O3", "2026-06-01 09:00:00", "2026-07", order=800)  # books in July


@pytest.mark.parametrize(("day", "raised"), [(24, []), (25, ["O1"])])
def test_check_no_h_potential_from_the_25th(
    warehouse: Warehouse, facts: FactsBuilder, day: int, raised: list[str]
) -> None:
    add_booking_opportunity(facts)

    alerts = run_check(warehouse, date(2026, 6, day), SETTINGS)

    found = [a for a in alerts if a.kind == "no_h_potential_by_25th"]
    assert [(a.deal_id, a.period, a.track, a.account_manager) for a in found] == [
        (deal, "2026-06", "T1", "amy") for deal in raised
    ]


def test_check_low_coverage_per_track_and_total(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.target(1, 1000, track="T1")
    facts.target(1, 1000, track="T2")
    facts.deal("H2", stage="H Potential", track="T2")
    facts.forecast("H2", "2026-05-01 09:00:00", "2026-08", product=2000)

    raised = run_check(warehouse, date(2026, 6, 10), SETTINGS)

    # T1: gap 1000, weighted 0 → alert; T2: gap 1000, weighted 2000 × 0.75 = 1500 →
    # coverage 1.5, healthy; total: gap 2000, coverage 1500 ÷ 2000 = 0.75 → alert
    low = [a for a in raised if a.kind == "low_coverage"]
    assert [(a.subject_type, a.subject, a.track, a.period) for a in low] == [
        ("total", "total", None, "2026-06"),
        ("track", "T1", "T1", "2026-06"),
    ]
    assert {a.route for a in low} == {"business_analysis_pdca"}
    assert {a.due_on for a in low} == {None}
    assert low[0].figures["coverage"] == 0.75
    assert low[0].figures["gap"] == 2000.0


def test_check_sales_shortfall_only_below_target_in_closed_months(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.deal("P", phase="mass_production", stage="Secured", track="T1")
    for month, actual in ((2, "1000.00"), (3, "999.99"), (6, "0")):
        facts.target(month, 1000, track="T1")
        facts.shipment(f"2026-{month:02d}", actual, deal_id="P")

    raised = run_check(warehouse, date(2026, 6, 10), SETTINGS)

    # February exactly 100 %: none; March 999.99 < 1000: alert; June is M0: not closed
    short = [a for a in raised if a.kind == "sales_shortfall"]
    assert kinds(short) == [("sales_shortfall", "T1", "2026-03")]
    assert short[0].figures["shortfall"] == 0.01  # 1000 − 999.99


def test_check_order_shortfall_per_manager_and_profit_centre(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    kw = {"business_line": "commodity", "metric": "orders"}
    facts.target(2, 500, manager="cat", **kw)
    facts.target(2, 800, profit_center="PC1", **kw)
    order = {"business_line": "commodity", "profit_center": "PC1", "track": "T5"}
    facts.order("2026-02-10", 500, manager="cat", **order)  # cat: exactly 100 %
    facts.order("2026-02-11", 299.99, manager="dan", **order)

    raised = run_check(warehouse, date(2026, 3, 5), SETTINGS)

    # cat 500 = 500: none; PC1 500 + 299.99 = 799.99 < 800: alert
    short = [a for a in raised if a.kind == "order_shortfall"]
    assert [(a.subject_type, a.subject, a.profit_center, a.track) for a in short] == [
        ("profit_center", "PC1", "PC1", "T5")
    ]
    assert short[0].business_line == "commodity"


def test_check_low_accuracy_per_track_and_total(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.deal("P", phase="mass_production", stage="Secured", track="T1")
    facts.snapshot("2026-04")
    facts.snapshot_deal("2026-04", "P", "mass_production")
    facts.snapshot_forecast("2026-04", "P", "2026-04", product=100)
    facts.shipment("2026-04", 80, deal_id="P")

    raised = run_check(warehouse, date(2026, 6, 10), SETTINGS)

    # mp: 1 − 20 ÷ 80 = 0.75; weighted 0.2 × 1 + 0.3 × 1 + 0.5 × 0.75 = 0.875 ≥ 0.85
    assert [a for a in raised if a.kind == "low_accuracy"] == []


def test_check_low_accuracy_below_threshold(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.deal("P", phase="mass_production", stage="Secured", track="T1")
    facts.snapshot("2026-04")
    facts.snapshot_deal("2026-04", "P", "mass_production")
    facts.snapshot_forecast("2026-04", "P", "2026-04", product=100)
    facts.shipment("2026-04", 70, deal_id="P")

    raised = run_check(warehouse, date(2026, 6, 10), SETTINGS)

    # mp: 1 − 30 ÷ 70 = 0.5714…; weighted 0.2 + 0.3 + 0.5 × 0.5714… = 0.7857… < 0.85
    low = [a for a in raised if a.kind == "low_accuracy"]
    assert [(a.subject_type, a.track, a.period) for a in low] == [
        ("total", None, "2026-04"),
        ("track", "T1", "2026-04"),
    ]
    assert low[0].figures["weighted"] == round(0.5 + 0.5 * (1 - 30 / 70), 4)


def test_check_twice_raises_nothing_new(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    add_booking_opportunity(facts)
    facts.target(1, 1000, track="T1")

    first = run_check(warehouse, date(2026, 6, 25), SETTINGS)
    second = run_check(warehouse, date(2026, 6, 25), SETTINGS)
    later = run_check(warehouse, date(2026, 6, 28), SETTINGS)

    assert len(first) > 0
    assert second == []
    assert later == []  # same identities (kind, subject, period 2026-06)
    with warehouse.cursor() as cur:
        stored = cur.execute("SELECT count(*) FROM alerts").fetchall()[0][0]
        queued = cur.execute(
            "SELECT count(DISTINCT alert_id) FROM outbox_messages"
        ).fetchone()[0]
    assert stored == len(first)
    assert queued == len(first)


@pytest.fixture
def one_alert(warehouse: Warehouse, facts: FactsBuilder) -> int:
    facts.deal("O1", stage="M Potential", track="T1", manager="amy")
    facts.forecast("O1", "2026-06-01 09:00:00", "2026-06", order=800)
    raised = run_check(warehouse, date(2026, 6, 25), SETTINGS)
    (alert,) = [a for a in raised if a.kind == "no_h_potential_by_25th"]
    return alert.alert_id


def status_of(
    warehouse: Warehouse, alert_id: int, today: date
) -> tuple[str, bool, str | None]:
    with warehouse.cursor() as cur:
        (alert,) = [a for a in list_alerts(cur, today=today) if a.alert_id == alert_id]
    return alert.status, alert.overdue, alert.conclusion


def test_alert_overdue_only_after_due_date_and_while_open(
    warehouse: Warehouse, one_alert: int
) -> None:
    raised_on = date(2026, 6, 25)  # due 2026-06-27

    assert status_of(warehouse, one_alert, raised_on + timedelta(days=2)) == (
        "open",
        False,
        None,
    )
    assert status_of(warehouse, one_alert, raised_on + timedelta(days=3)) == (
        "open",
        True,
        None,
    )

    handle_alert(warehouse, one_alert, "客户确认下周报价")

    assert status_of(warehouse, one_alert, raised_on + timedelta(days=3)) == (
        "handled",
        False,
        "客户确认下周报价",
    )


def test_alert_handle_twice_is_refused(warehouse: Warehouse, one_alert: int) -> None:
    handle_alert(warehouse, one_alert, "done")

    with pytest.raises(WorkflowError):
        handle_alert(warehouse, one_alert, "again")


def test_alert_escalate_then_ceo_handles(warehouse: Warehouse, one_alert: int) -> None:
    add_user(warehouse, "ceo", "ceo")

    escalate_alert(warehouse, one_alert, "金额大，需 CEO 决策", settings=SETTINGS)
    with pytest.raises(WorkflowError):
        escalate_alert(warehouse, one_alert, "again", settings=SETTINGS)
    handle_alert(warehouse, one_alert, "CEO 批准调整", user_name="ceo")

    with warehouse.cursor() as cur:
        (alert,) = list_alerts(
            cur, today=date(2026, 7, 1), kind="no_h_potential_by_25th"
        )
        actions = cur.execute(
            "SELECT user_name, action FROM audit_log WHERE action LIKE 'alert.%'"
            " AND action <> 'alert.check' ORDER BY audit_id"
        ).fetchall()
        events = cur.execute(
            "SELECT status FROM alert_events WHERE alert_id = ? ORDER BY event_id",
            [one_alert],
        ).fetchall()
    assert (alert.status, alert.escalation_note, alert.conclusion) == (
        "handled",
        "金额大，需 CEO 决策",
        "CEO 批准调整",
    )
    assert actions == [("operator", "alert.escalate"), ("ceo", "alert.handle")]
    assert events == [("open",), ("escalated",), ("handled",)]


@pytest.mark.parametrize(
    ("role", "tracks", "allowed"),
    [
        ("track_director", ["T1"], True),
        ("track_director", ["T2"], False),
        ("account_manager", [], False),
        ("analyst", [], False),  # a director-routed alert
    ],
)
def test_alert_handle_needs_the_right_role(
    warehouse: Warehouse, one_alert: int, role: str, tracks: list[str], allowed: bool
) -> None:
    add_user(warehouse, "u", role, tracks=tracks)

    if allowed:
        handle_alert(warehouse, one_alert, "ok", user_name="u")
    else:
        with pytest.raises(PermissionDenied):
            handle_alert(warehouse, one_alert, "ok", user_name="u")


def test_alert_events_are_append_only(warehouse: Warehouse, one_alert: int) -> None:
    with warehouse.cursor() as cur, pytest.raises(duckdb.Error, match="append-only"):
        cur.execute("UPDATE alert_events SET status = 'handled'")
    with warehouse.cursor() as cur, pytest.raises(duckdb.Error, match="append-only"):
        cur.execute("DELETE FROM alerts")


def test_list_alerts_scope_and_filters(
    warehouse: Warehouse, facts: FactsBuilder
) -> None:
    facts.deal("A", stage="M Potential", track="T1", manager="amy")
    facts.forecast("A", "2026-06-01 09:00:00", "2026-06", order=800)
    facts.deal("B", stage="M Potential", track="T2", manager="bob")
    facts.forecast("B", "2026-06-01 09:00:00", "2026-06", order=800)
    run_check(warehouse, date(2026, 6, 25), SETTINGS)
    amy = Actor(name="amy", role="account_manager", account_manager="amy")
    director = Actor(name="dora", role="track_director", tracks=("T2",))
    today = date(2026, 6, 25)

    with warehouse.cursor() as cur:
        mine = list_alerts(cur, amy, today=today)
        theirs = list_alerts(cur, director, today=today)
        everything = list_alerts(cur, today=today)
        t1 = list_alerts(cur, today=today, track="T1", kind="no_h_potential_by_25th")
        handled = list_alerts(cur, today=today, status="handled")

    assert {a.deal_id for a in mine} == {"A"}
    assert {a.track for a in theirs} == {"T2"}
    # no targets: gap ≤ 0, coverage healthy; the two deal alerts only
    assert {(a.kind, a.deal_id) for a in everything} == {
        ("no_h_potential_by_25th", "A"),
        ("no_h_potential_by_25th", "B"),
    }
    assert [a.deal_id for a in t1] == ["A"]
    assert handled == []
