"""Candidate alerts of SPEC §5, from facts and metrics (no warehouse)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from rules.accuracy import MonthAccuracy, stage_accuracy
from rules.alerts import (
    due_on,
    figures_json,
    low_accuracy_alerts,
    no_h_potential_alerts,
    order_shortfall_alerts,
    sales_shortfall_alerts,
    version_direction,
)
from rules.period import AsOf
from rules.settings import Settings

MONEY = pl.Decimal(18, 2)


@pytest.mark.parametrize(
    (
        "precision_sales",
        "rolling_sales",
        "precision_orders",
        "rolling_orders",
        "direction",
    ),
    [
        ("90", "100", "500", "500", "shortfall"),  # sales lower
        ("110", "100", "400", "500", "upside"),  # sales decide before orders
        ("100", "100", "400", "500", "shortfall"),  # sales equal, orders lower
        ("100", "100", "600", "500", "upside"),  # sales equal, orders higher
        ("100", "100", "500", "500", "reshaped"),  # same totals, other months
    ],
)
def test_version_direction_sales_then_orders(
    precision_sales: str,
    rolling_sales: str,
    precision_orders: str,
    rolling_orders: str,
    direction: str,
) -> None:
    assert (
        version_direction(
            Decimal(precision_sales),
            Decimal(rolling_sales),
            Decimal(precision_orders),
            Decimal(rolling_orders),
        )
        == direction
    )


def opportunity(order_m0: str, has_quote: bool) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "deal_id": "D1",
                "track": "T1",
                "account_manager": "amy",
                "profit_center": None,
                "stage": "M Potential",
                "effective_phase": "opportunity",
                "order_amount_m0": Decimal(order_m0),
                "has_h_potential_quote": has_quote,
            }
        ],
        schema={
            "deal_id": pl.String,
            "track": pl.String,
            "account_manager": pl.String,
            "profit_center": pl.String,
            "stage": pl.String,
            "effective_phase": pl.String,
            "order_amount_m0": MONEY,
            "has_h_potential_quote": pl.Boolean,
        },
    )


@pytest.mark.parametrize(
    ("day", "order_m0", "has_quote", "raised"),
    [
        (24, "500", False, False),  # before the check day
        (25, "500", False, True),  # on the check day
        (30, "500", False, True),
        (25, "500", True, False),  # an H Potential quote exists
        (25, "0", False, False),  # books no order this month
    ],
)
def test_no_h_potential_alerts_from_check_day(
    day: int, order_m0: str, has_quote: bool, raised: bool
) -> None:
    period = AsOf(date(2026, 6, day))

    alerts = no_h_potential_alerts(opportunity(order_m0, has_quote), period, Settings())

    assert [a.period for a in alerts] == (["2026-06"] if raised else [])
    assert all(a.route == "track_director" and a.deal_id == "D1" for a in alerts)


@pytest.mark.parametrize(
    ("target", "actual", "raised"),
    [
        ("1000", "1000", False),  # exactly 100 %: no alert
        ("1000", "999.99", True),
        ("1000", "1200", False),
        ("0", "0", False),
    ],
)
def test_sales_shortfall_alerts_below_target_only(
    target: str, actual: str, raised: bool
) -> None:
    track_sales = pl.DataFrame(
        [
            {
                "track": "T1",
                "month": date(2026, 2, 1),
                "sales_target": Decimal(target),
                "actual_sales": Decimal(actual),
            }
        ],
        schema={
            "track": pl.String,
            "month": pl.Date,
            "sales_target": MONEY,
            "actual_sales": MONEY,
        },
    )

    alerts = sales_shortfall_alerts(track_sales)

    assert len(alerts) == int(raised)
    if raised:
        assert alerts[0].period == "2026-02"
        # shortfall = 1000 − 999.99 = 0.01
        assert alerts[0].figures["shortfall"] == Decimal("0.01")


@pytest.mark.parametrize(
    ("target", "orders", "raised"),
    [("500", "500", False), ("500", "499.99", True), ("500", "501", False)],
)
def test_order_shortfall_alerts_per_manager_closed_months(
    target: str, orders: str, raised: bool
) -> None:
    schema = {
        "source": pl.String,
        "month": pl.Int32,
        "account_manager": pl.String,
        "profit_center": pl.String,
        "track": pl.String,
        "amount": MONEY,
        "manager_visible": pl.Boolean,
        "profit_center_visible": pl.Boolean,
        "unsplit_visible": pl.Boolean,
    }
    base = {"profit_center": "", "manager_visible": True}
    base |= {"profit_center_visible": False, "unsplit_visible": False}
    facts = pl.DataFrame(
        [
            base
            | {"source": "target", "month": 2, "account_manager": "amy"}
            | {"track": "", "amount": Decimal(target)},
            base
            | {"source": "orders", "month": 2, "account_manager": "amy"}
            | {"track": "T7", "amount": Decimal(orders)},
            # the current month is not closed: never an alert
            base
            | {"source": "target", "month": 3, "account_manager": "amy"}
            | {"track": "", "amount": Decimal("900")},
        ],
        schema=schema,
    )

    alerts = order_shortfall_alerts(facts, AsOf(date(2026, 3, 2)))

    assert [(a.subject_type, a.subject, a.period) for a in alerts] == (
        [("account_manager", "amy", "2026-02")] if raised else []
    )
    # routed to the director of the track where amy books her orders
    assert all(a.track == "T7" and a.business_line == "commodity" for a in alerts)


def month_of(weighted: str) -> MonthAccuracy:
    one = stage_accuracy(Decimal(1), Decimal(1), Decimal(0))
    return MonthAccuracy("2026-04", one, one, one, Decimal(weighted))


@pytest.mark.parametrize(
    ("weighted", "raised"), [("0.85", False), ("0.8499", True), ("0.9", False)]
)
def test_low_accuracy_alerts_below_threshold(weighted: str, raised: bool) -> None:
    accuracies = {
        ("2026-04", None): month_of(weighted),
        ("2026-04", "T1"): month_of("1"),
    }

    alerts = low_accuracy_alerts(accuracies, Settings())

    assert [(a.subject_type, a.track, a.route) for a in alerts] == (
        [("total", None, "business_analysis_pdca")] if raised else []
    )


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("track_director", date(2026, 6, 27)),  # raised 2026-06-25 + 2 days
        ("business_analysis_pdca", None),
    ],
)
def test_due_on_only_for_director_routed_alerts(
    route: str, expected: date | None
) -> None:
    assert due_on(route, date(2026, 6, 25), Settings()) == expected


def test_figures_json_rounds_amounts_to_cents_and_ratios_to_four_places() -> None:
    figures = {
        "gap": Decimal("1234.565"),
        "coverage": Decimal("1.23456"),
        "coverage_threshold": Decimal("1.5"),
        "months_changed": ["2026-05"],
    }

    assert figures_json(figures) == {
        "gap": 1234.56,  # round half to even at the JSON edge
        "coverage": 1.2346,
        "coverage_threshold": 1.5,
        "months_changed": ["2026-05"],
    }
