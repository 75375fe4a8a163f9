"""Commodity order attainment: per manager, per profit centre, YTD and total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from rules.commodity import attainment, commodity_board, monthly_attainment
from rules.period import AsOf

MONEY = pl.Decimal(18, 2)
D = AsOf(date(2026, 3, 15))  # targets of months 1–3 count year to date

SCHEMA = {
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


def rows(*items: tuple[str, int, str, str, str]) -> pl.DataFrame:
    """(source, month, manager, profit centre, amount) seen by the operator."""
    return pl.DataFrame(
        [
            {
                "source": source,
                "month": month,
                "account_manager": manager,
                "profit_center": centre,
                "track": "T1",
                "amount": Decimal(amount),
                "manager_visible": manager != "",
                "profit_center_visible": centre != "",
                "unsplit_visible": manager == "" and centre == "",
            }
            for source, month, manager, centre, amount in items
        ],
        schema=SCHEMA,
    )


@pytest.mark.parametrize(
    ("orders", "target", "expected"),
    [
        ("120", "100", Decimal("1.2")),
        ("100", "100", Decimal(1)),
        ("50", "0", None),  # no target: no attainment
    ],
)
def test_attainment_divides_orders_by_target(
    orders: str, target: str, expected: Decimal | None
) -> None:
    assert attainment(Decimal(orders), Decimal(target)) == expected


def test_commodity_board_ytd_counts_targets_up_to_m0() -> None:
    facts = rows(
        *[("target", m, "amy", "", "100") for m in range(1, 13)],
        ("orders", 1, "amy", "", "80"),
        ("orders", 3, "amy", "", "130"),
    )

    board = commodity_board(facts, D)

    # target YTD = 3 × 100 = 300 (months 1–3 of 12); orders 80 + 130 = 210
    amy = board.account_managers["amy"]
    assert amy.order_target == Decimal("300")
    assert amy.orders == Decimal("210")
    assert amy.attainment == Decimal("210") / Decimal("300")


def test_commodity_board_total_is_manager_rows_not_double_counted() -> None:
    facts = rows(
        ("target", 1, "amy", "", "100"),
        ("target", 1, "bob", "", "50"),
        ("target", 1, "", "PC1", "150"),  # the same money set per profit centre
        ("orders", 1, "amy", "PC1", "120"),
        ("orders", 2, "bob", "PC1", "30"),
    )

    board = commodity_board(facts, D)

    # total target = amy 100 + bob 50 = 150, not 150 + 150; orders 120 + 30 = 150
    assert board.total.order_target == Decimal("150")
    assert board.total.orders == Decimal("150")
    assert board.total.attainment == Decimal(1)
    # profit centre PC1: target 150, orders 120 + 30 = 150
    assert board.profit_centers["PC1"].order_target == Decimal("150")
    assert board.profit_centers["PC1"].orders == Decimal("150")


def test_commodity_board_total_falls_back_to_profit_centre_targets() -> None:
    facts = rows(
        ("target", 1, "", "PC1", "200"),
        ("target", 2, "", "PC2", "100"),
        ("orders", 2, "amy", "PC1", "150"),
    )

    board = commodity_board(facts, D)

    # no manager-level target: total target = 200 + 100 = 300; orders 150
    assert board.total.order_target == Decimal("300")
    assert board.total.attainment == Decimal("0.5")
    # amy has orders but no target: attainment undefined
    assert board.account_managers["amy"].attainment is None


def test_monthly_attainment_per_manager_and_month() -> None:
    facts = rows(
        ("target", 1, "amy", "", "100"),
        ("target", 2, "amy", "", "100"),
        ("orders", 2, "amy", "", "100"),
    )

    monthly = monthly_attainment(facts, "account_manager")

    assert monthly.select("month", "order_target", "orders").rows() == [
        (1, Decimal("100"), Decimal("0")),
        (2, Decimal("100"), Decimal("100")),
    ]
