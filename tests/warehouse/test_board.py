"""The board as of D over rows inserted straight into the warehouse (SPEC §4, §7).

Every expected figure is worked out in the test from the SPEC's definitions.
D is 2026-06-10 unless a test says otherwise: Y = 2026, M0 = June, closed
months January–May, remaining_months = 13 − 6 = 7.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from rules.settings import Settings
from tests.rules.facts_builder import FactsBuilder
from warehouse import Warehouse
from warehouse.board import (
    accuracy_by_month,
    build_board,
    commodity_attainment,
    deal_expectations,
    wip_vs_actual,
)
from warehouse.users import Actor

D = date(2026, 6, 10)


@pytest.fixture
def cur(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    with warehouse.cursor() as cursor:
        yield cursor


@pytest.fixture
def facts(cur: duckdb.DuckDBPyConnection) -> FactsBuilder:
    return FactsBuilder(cur)


def board_json(cur: duckdb.DuckDBPyConnection, actor: Actor | None = None) -> dict:
    board = (
        build_board(cur, D, Settings(), actor)
        if actor
        else build_board(cur, D, Settings())
    )
    return board.to_json()


def test_board_expected_revenue_is_closed_actuals_plus_open_forecast(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("MP", phase="mass_production", stage="Secured", project_id="P1")
    submitted = "2026-01-05 09:00:00"
    facts.forecast("MP", submitted, "2025-12", product=999)  # another year
    facts.forecast("MP", submitted, "2026-03", product=100)  # closed: actuals count
    facts.forecast("MP", submitted, "2026-06", product=200)  # M0: forecast counts
    facts.forecast("MP", submitted, "2026-07", mold=50, product=300)
    facts.forecast("MP", submitted, "2027-01", product=888)  # another year
    facts.shipment("2026-03", 90, deal_id="MP")
    facts.shipment("2026-05", 40, project_id="P1", kind="mold")  # by project only
    facts.shipment("2026-06", 55, deal_id="MP")  # M0 is not closed
    facts.shipment("2026-04", 1000, deal_id="MP", plan_or_actual="plan")
    facts.shipment("2025-12", 500, deal_id="MP")
    for month in range(1, 13):
        facts.target(month, 100, track="T1")

    total = board_json(cur)["integrated"]["total"]

    # E = closed actuals (90 + 40) + open forecast (200 + 50 + 300) = 680
    assert total["mp_expected"] == 680.0
    assert total["mold_expected"] == 0.0
    # target 12 × 100 = 1200; gap = 1200 − 680 = 520; pace = 520 ÷ 7
    assert total["target"] == 1200.0
    assert total["gap"] == 520.0
    assert total["monthly_pace"] == round(520 / 7, 2)
    # no pipeline: coverage = 0 ÷ 520 = 0 < 1.5
    assert total["coverage"] == 0.0
    assert total["coverage_status"] == "alert"


def test_board_counts_only_latest_submission_on_or_before_d(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("O")
    facts.forecast("O", "2026-05-01 10:00:00", "2026-07", product=100)
    facts.forecast("O", "2026-06-10 15:00:00", "2026-07", product=300)  # on D: counts
    facts.forecast("O", "2026-06-11 08:00:00", "2026-07", product=5000)  # after D
    facts.forecast(
        "O", "2026-06-11 08:00:00", "2026-07", product=7000, version="precision"
    )

    total = board_json(cur)["integrated"]["total"]

    # current forecast: the rolling one of 2026-06-10 15:00 → 300; M Potential × 0.5
    assert total["pipeline"] == 300.0
    assert total["weighted_pipeline"] == 150.0


def test_board_precision_submission_replaces_rolling_even_if_older(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("O", stage="H Potential")
    facts.forecast(
        "O", "2026-05-20 09:00:00", "2026-07", product=80, version="precision"
    )
    facts.forecast("O", "2026-06-01 09:00:00", "2026-07", product=100)

    total = board_json(cur)["integrated"]["total"]

    # precision (80) is the current forecast; weighted 80 × 0.75 = 60
    assert total["pipeline"] == 80.0
    assert total["weighted_pipeline"] == 60.0


@pytest.mark.parametrize(
    ("deal_id", "project_id", "plan_or_actual", "counted"),
    [
        ("D1", "", "actual", 100),  # by deal number
        ("", "P1", "actual", 100),  # blank deal: through the project number
        ("X999", "P1", "actual", 100),  # unknown deal: through the project number
        ("D1", "P1", "actual", 100),  # both name D1: once, never twice
        ("", "P-OTHER", "actual", 0),  # a project no deal carries (commodity WIP)
        ("D1", "", "plan", 0),  # a plan is not an actual
    ],
)
def test_board_matches_shipments_by_deal_or_project_once(
    cur: duckdb.DuckDBPyConnection,
    facts: FactsBuilder,
    deal_id: str,
    project_id: str,
    plan_or_actual: str,
    counted: int,
) -> None:
    facts.deal("D1", phase="mass_production", stage="Secured", project_id="P1")
    facts.shipment(
        "2026-03",
        100,
        deal_id=deal_id,
        project_id=project_id,
        plan_or_actual=plan_or_actual,
    )

    total = board_json(cur)["integrated"]["total"]

    assert total["mp_expected"] == float(counted)


def test_board_secured_opportunity_is_mold_development_and_converted(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("S", phase="opportunity", stage="Secured", secured_on="2026-06-03")
    facts.forecast("S", "2026-06-04 09:00:00", "2026-08", mold=400)
    facts.deal("S-LATE", phase="opportunity", stage="Secured", secured_on="2026-06-20")
    facts.forecast("S-LATE", "2026-06-04 09:00:00", "2026-08", mold=1000)

    total = board_json(cur)["integrated"]["total"]

    # both are mold development: 400 + 1000; only S was secured in June on or before D
    assert total["mold_expected"] == 1400.0
    assert total["pipeline"] == 0.0
    assert total["converted_this_month"] == 400.0


def test_board_lost_deal_counts_nowhere(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("L", phase="mass_production", stage="Lost", track="T9", project_id="PL")
    facts.forecast("L", "2026-01-05 09:00:00", "2026-08", product=500, order=100)
    facts.shipment("2026-02", 300, deal_id="L")
    facts.deal("O", stage="Lost", track="T9")
    facts.forecast("O", "2026-01-05 09:00:00", "2026-08", product=700)

    board = board_json(cur)

    assert board["integrated"]["total"]["mp_expected"] == 0.0
    assert board["integrated"]["total"]["pipeline"] == 0.0
    assert board["integrated"]["tracks"] == {}
    assert deal_expectations(cur, D, Settings()).height == 0


def add_accuracy_case(facts: FactsBuilder) -> None:
    """Snapshots 2026-03 and 2026-04 (none for 2026-05) with three deals in April."""
    for deal_id, phase in (("O", "opportunity"), ("M", "mold_development")):
        facts.deal(
            deal_id,
            phase=phase,
            stage="Secured" if phase != "opportunity" else "H Potential",
        )
    facts.deal("P", phase="mass_production", stage="Secured", project_id="PP")

    facts.snapshot("2026-03")
    facts.snapshot_deal("2026-03", "P", "mass_production")
    facts.snapshot_forecast("2026-03", "P", "2026-03", product=100)

    facts.snapshot("2026-04")
    facts.snapshot_deal("2026-04", "O", "opportunity")
    facts.snapshot_forecast("2026-04", "O", "2026-04", order=100)
    facts.snapshot_forecast("2026-04", "O", "2026-04", order=80, version="precision")
    facts.snapshot_deal("2026-04", "M", "mold_development")
    facts.snapshot_forecast("2026-04", "M", "2026-04", mold=30, product=20)
    facts.snapshot_forecast("2026-04", "M", "2026-05", mold=999)  # another month
    facts.snapshot_deal("2026-04", "P", "mass_production")
    facts.snapshot_forecast("2026-04", "P", "2026-04", product=200)

    facts.order("2026-04-15", 100, deal_id="O")
    facts.order("2026-05-02", 500, deal_id="O")  # another month
    facts.shipment("2026-04", 40, deal_id="M", kind="mold")
    facts.shipment("2026-04", 200, project_id="PP")


def test_board_accuracy_is_latest_closed_month_with_snapshot(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_accuracy_case(facts)

    accuracy = board_json(cur)["integrated"]["total"]["accuracy"]

    # 2026-05 has no snapshot, so the latest is 2026-04:
    # opportunity F = 80 (precision wins), A = 100: 1 − 20 ÷ 100 = 0.8, bias −0.2
    # mold F = 30 + 20 = 50, A = 40: 1 − 10 ÷ 40 = 0.75, bias 10 ÷ 40 = 0.25
    # mass production F = 200, A = 200: 1, bias 0
    # weighted = 0.2 × 0.8 + 0.3 × 0.75 + 0.5 × 1 = 0.885
    assert accuracy == {
        "month": "2026-04",
        "opportunity": 0.8,
        "mold_development": 0.75,
        "mass_production": 1.0,
        "weighted": 0.885,
        "opportunity_bias": -0.2,
        "mold_development_bias": 0.25,
        "mass_production_bias": 0.0,
    }


def test_accuracy_by_month_is_missing_without_snapshot(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_accuracy_case(facts)

    rows = accuracy_by_month(cur, 2026, D, Settings())

    totals = {row.month: row.accuracy for row in rows if row.track is None}
    assert list(totals) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert totals["2026-01"] is None
    assert totals["2026-05"] is None
    # 2026-03: only P, F = 100, A = 0 (no shipment in March) → ΣA = 0 < ΣF: 0
    # weighted = 0.2 × 1 + 0.3 × 1 + 0.5 × 0 = 0.5 (stages without deals score 1)
    assert totals["2026-03"] is not None
    assert totals["2026-03"].mass_production.accuracy == 0
    assert totals["2026-03"].weighted == Decimal("0.5")
    assert totals["2026-04"] is not None
    assert totals["2026-04"].weighted == Decimal("0.885")


def test_board_accuracy_null_without_any_snapshot(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("P", phase="mass_production", stage="Secured")
    facts.target(1, 100, track="T1")

    board = board_json(cur)

    assert board["integrated"]["total"]["accuracy"] is None
    assert board["integrated"]["tracks"]["T1"]["accuracy"] is None


def add_two_managers(facts: FactsBuilder) -> None:
    facts.deal(
        "A1", track="T1", manager="amy", phase="mass_production", stage="Secured"
    )
    facts.forecast("A1", "2026-01-05 09:00:00", "2026-07", product=100)
    facts.deal(
        "B1", track="T2", manager="bob", phase="mass_production", stage="Secured"
    )
    facts.forecast("B1", "2026-01-05 09:00:00", "2026-07", product=700)
    facts.target(1, 300, track="T1", manager="amy")
    facts.target(1, 900, track="T2", manager="bob")
    facts.target(1, 5000, track="T1")  # the track's own target, no manager


def test_board_account_manager_sees_own_deals_and_own_target(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_two_managers(facts)
    amy = Actor(name="amy", role="account_manager", account_manager="amy")

    board = board_json(cur, amy)

    # amy: her deal A1 (100) against her own target (300): gap 300 − 100 = 200
    assert list(board["integrated"]["tracks"]) == ["T1"]
    assert board["integrated"]["total"]["target"] == 300.0
    assert board["integrated"]["total"]["mp_expected"] == 100.0
    assert board["integrated"]["total"]["gap"] == 200.0
    assert list(deal_expectations(cur, D, Settings(), amy)["deal_id"]) == ["A1"]


def test_board_track_director_sees_own_tracks(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_two_managers(facts)
    director = Actor(name="dora", role="track_director", tracks=("T2",))

    board = board_json(cur, director)

    # T2 only: target 900, mp 700, gap 200
    assert list(board["integrated"]["tracks"]) == ["T2"]
    assert board["integrated"]["total"]["target"] == 900.0
    assert board["integrated"]["total"]["gap"] == 200.0


def test_board_operator_sees_every_track(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_two_managers(facts)

    board = board_json(cur)

    # total target = 300 + 900 + 5000 = 6200; T1 = 300 + 5000 = 5300
    assert board["integrated"]["total"]["target"] == 6200.0
    assert board["integrated"]["tracks"]["T1"]["target"] == 5300.0
    assert board["integrated"]["tracks"]["T2"]["mp_expected"] == 700.0


def add_commodity(facts: FactsBuilder) -> None:
    for month in range(1, 13):
        facts.target(
            month, 1000, business_line="commodity", metric="orders", manager="cat"
        )
        facts.target(
            month, 600, business_line="commodity", metric="orders", manager="dan"
        )
        facts.target(
            month, 1600, business_line="commodity", metric="orders", profit_center="PC1"
        )
    kw = {"business_line": "commodity", "profit_center": "PC1"}
    facts.order("2026-02-03", 2500, track="T5", manager="cat", **kw)
    facts.order("2026-06-10", 1500, track="T5", manager="cat", **kw)  # on D: counts
    facts.order("2026-06-11", 9000, track="T5", manager="cat", **kw)  # after D
    facts.order("2025-12-30", 9000, track="T5", manager="cat", **kw)  # last year
    facts.order("2026-03-01", 1200, track="T6", manager="dan", **kw)
    facts.order("2026-03-01", 7777, track="T5", manager="cat")  # integrated


def test_board_commodity_attainment_year_to_date(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_commodity(facts)

    commodity = board_json(cur)["commodity"]

    # cat: target 6 × 1000 = 6000 (months 1–6), orders 2500 + 1500 = 4000
    assert commodity["account_managers"]["cat"] == {
        "order_target_ytd": 6000.0,
        "orders_ytd": 4000.0,
        "order_attainment_ytd": round(4000 / 6000, 4),
    }
    # dan: 6 × 600 = 3600, orders 1200: 1200 ÷ 3600
    assert commodity["account_managers"]["dan"]["order_attainment_ytd"] == round(
        1 / 3, 4
    )
    # PC1: 6 × 1600 = 9600, orders 2500 + 1500 + 1200 = 5200
    assert commodity["profit_centers"]["PC1"]["orders_ytd"] == 5200.0
    assert commodity["profit_centers"]["PC1"]["order_target_ytd"] == 9600.0
    # total = manager rows: 6000 + 3600 = 9600 (not + 9600 of PC1), orders 5200
    assert commodity["total"] == {
        "order_target_ytd": 9600.0,
        "orders_ytd": 5200.0,
        "order_attainment_ytd": round(5200 / 9600, 4),
    }


def test_board_commodity_scope_of_manager_and_director(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_commodity(facts)
    cat = Actor(name="cat", role="account_manager", account_manager="cat")
    director = Actor(name="dora", role="track_director", tracks=("T6",))

    mine = board_json(cur, cat)["commodity"]
    theirs = board_json(cur, director)["commodity"]

    assert list(mine["account_managers"]) == ["cat"]
    assert mine["profit_centers"] == {}
    assert mine["total"]["orders_ytd"] == 4000.0
    # the T6 director sees dan (an order in T6) and PC1, each whole
    assert list(theirs["account_managers"]) == ["dan"]
    assert theirs["total"]["order_target_ytd"] == 3600.0
    assert list(theirs["profit_centers"]) == ["PC1"]


def test_commodity_attainment_monthly_per_manager(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_commodity(facts)

    monthly = commodity_attainment(cur, D).account_managers_monthly

    cat = monthly.filter(account_manager="cat").select("month", "orders", "attainment")
    # February: 2500 ÷ 1000 = 2.5; June: 1500 ÷ 1000 = 1.5; March: 0 ÷ 1000
    assert cat.filter(month=2).row(0) == (2, Decimal("2500"), 2.5)
    assert cat.filter(month=6).row(0) == (6, Decimal("1500"), 1.5)
    assert cat.filter(month=3).row(0) == (3, Decimal("0"), 0.0)


def test_board_json_has_exactly_the_spec_keys(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    add_two_managers(facts)
    add_commodity(facts)
    facts.deal("H", stage="L Potential", track="T1")
    facts.forecast("H", "2026-06-01 09:00:00", "2026-09", product="100.01")

    board = board_json(cur)

    assert list(board) == [
        "as_of",
        "year",
        "remaining_months",
        "integrated",
        "commodity",
    ]
    assert (board["as_of"], board["year"], board["remaining_months"]) == (
        "2026-06-10",
        2026,
        7,
    )
    assert list(board["integrated"]) == ["total", "tracks"]
    metric_keys = [
        "target",
        "mp_expected",
        "mold_expected",
        "gap",
        "pipeline",
        "weighted_pipeline",
        "coverage",
        "coverage_status",
        "monthly_pace",
        "converted_this_month",
        "accuracy",
    ]
    for metrics in [
        board["integrated"]["total"],
        *board["integrated"]["tracks"].values(),
    ]:
        assert list(metrics) == metric_keys
    assert list(board["commodity"]) == ["total", "account_managers", "profit_centers"]
    commodity_keys = ["order_target_ytd", "orders_ytd", "order_attainment_ytd"]
    for c in [
        board["commodity"]["total"],
        *board["commodity"]["account_managers"].values(),
        *board["commodity"]["profit_centers"].values(),
    ]:
        assert list(c) == commodity_keys
    # weighted = 100.01 × 0.25 = 25.0025 → 25.0 (amounts to 2 decimals)
    t1 = board["integrated"]["tracks"]["T1"]
    assert t1["weighted_pipeline"] == 25.0
    # T1 gap = 5300 − 100 = 5200; coverage = 25.0025 ÷ 5200 → 4 decimals
    assert t1["coverage"] == round(25.0025 / 5200, 4)


def test_deal_expectations_one_row_per_deal_with_e_and_weights(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.deal("O", stage="M Potential")
    facts.forecast("O", "2026-06-01 09:00:00", "2026-06", order=500, sets=2, mold=100)
    facts.forecast("O", "2026-06-01 09:00:00", "2026-09", product=300)
    facts.quote("O", "H Potential", "2026-06-11")  # after D: not yet

    row = deal_expectations(cur, D, Settings()).row(0, named=True)

    assert row["deal_id"] == "O"
    assert row["effective_phase"] == "opportunity"
    # E = 100 + 300 = 400 (no closed actuals); weighted 400 × 0.5 = 200
    assert row["expected"] == Decimal("400")
    assert row["expected_mold"] == Decimal("100")
    assert row["open_forecast_sales"] == Decimal("400")
    assert row["weighted_open_forecast"] == Decimal("200")
    assert row["mold_sets"] == 2
    assert row["order_amount_m0"] == Decimal("500")
    assert row["has_h_potential_quote"] is False


def test_wip_vs_actual_by_month_and_track(
    cur: duckdb.DuckDBPyConnection, facts: FactsBuilder
) -> None:
    facts.wip("2026-05", "W1", 800, track="T5")
    facts.wip("2026-07", "W1", 900, track="T5")
    facts.shipment("2026-05", 750, project_id="W1")
    facts.shipment("2026-05", 99, project_id="W-UNPLANNED")

    rows = wip_vs_actual(cur, 2026, D).rows()

    # May: plan 800, actual 750; July is after M0: no actual yet
    assert rows == [
        (date(2026, 5, 1), "T5", Decimal("800"), Decimal("750")),
        (date(2026, 7, 1), "T5", Decimal("900"), None),
    ]
