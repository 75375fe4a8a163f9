"""Remaining gap, weighted pipeline, coverage, status, pace and conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from rules.coverage import (
    coverage,
    coverage_status,
    integrated_board,
    remaining_gap,
    with_weighted_forecast,
)
from rules.pace import monthly_pace
from rules.period import AsOf
from rules.settings import Settings

MONEY = pl.Decimal(18, 2)
D = AsOf(date(2026, 6, 10))  # M0 = June, remaining_months = 13 − 6 = 7

DEAL_SCHEMA = {
    "deal_id": pl.String,
    "track": pl.String,
    "stage": pl.String,
    "effective_phase": pl.String,
    "secured_on": pl.Date,
    "actual_mold_closed": MONEY,
    "actual_product_closed": MONEY,
    "forecast_mold_open": MONEY,
    "forecast_product_open": MONEY,
    "mold_sets": pl.Int64,
}


def deals(*rows: dict[str, object]) -> pl.DataFrame:
    """Per-deal facts; amounts default to 0, stage to M Potential."""
    defaults: dict[str, object] = {
        "track": "T1",
        "stage": "M Potential",
        "effective_phase": "opportunity",
        "secured_on": None,
        "actual_mold_closed": Decimal(0),
        "actual_product_closed": Decimal(0),
        "forecast_mold_open": Decimal(0),
        "forecast_product_open": Decimal(0),
        "mold_sets": 0,
    }
    full = [defaults | {k: _dec(v) for k, v in row.items()} for row in rows]
    return pl.DataFrame(full, schema=DEAL_SCHEMA)


def targets(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"track": t, "amount": Decimal(a)} for t, a in rows],
        schema={"track": pl.String, "amount": MONEY},
    )


def _dec(value: object) -> object:
    return Decimal(value) if isinstance(value, str) and value[:1].isdigit() else value


@pytest.mark.parametrize(
    ("target", "mp", "mold", "expected_gap"),
    [
        ("1000", "300", "200", Decimal("500")),  # 1000 − 300 − 200
        ("100", "80", "50", Decimal("-30")),  # 100 − 80 − 50, negative
        ("0", "0", "0", Decimal("0")),
    ],
)
def test_remaining_gap_subtracts_mp_and_mold(
    target: str, mp: str, mold: str, expected_gap: Decimal
) -> None:
    assert remaining_gap(Decimal(target), Decimal(mp), Decimal(mold)) == expected_gap


@pytest.mark.parametrize(
    ("weighted", "gap", "expected_coverage", "expected_status"),
    [
        ("600", "400", Decimal("1.5"), "healthy"),  # 600 ÷ 400 = 1.5 exactly: healthy
        ("599.99", "400", Decimal("599.99") / 400, "alert"),  # just below 1.5
        ("800", "400", Decimal("2"), "healthy"),
        ("0", "400", Decimal("0"), "alert"),
        ("100", "0", None, "healthy"),  # gap ≤ 0: no coverage, healthy
        ("0", "-30", None, "healthy"),
    ],
)
def test_coverage_and_status_by_threshold(
    weighted: str, gap: str, expected_coverage: Decimal | None, expected_status: str
) -> None:
    settings = Settings()

    assert coverage(Decimal(weighted), Decimal(gap)) == expected_coverage
    assert coverage_status(Decimal(weighted), Decimal(gap), settings) == expected_status


@pytest.mark.parametrize(
    ("gap", "remaining", "pace"),
    [
        ("700", 7, Decimal("100")),  # 700 ÷ 7
        ("-30", 7, Decimal("0")),  # max(gap, 0) = 0
        ("100", 3, Decimal("100") / 3),
    ],
)
def test_monthly_pace_divides_positive_gap(
    gap: str, remaining: int, pace: Decimal
) -> None:
    assert monthly_pace(Decimal(gap), remaining) == pace


def test_weighted_forecast_uses_stage_weights_for_opportunities_only() -> None:
    frame = deals(
        {"deal_id": "L", "stage": "L Potential", "forecast_product_open": "100"},
        {"deal_id": "M", "stage": "M Potential", "forecast_product_open": "200"},
        {"deal_id": "H", "stage": "H Potential", "forecast_mold_open": "400"},
        {
            "deal_id": "S",
            "stage": "Secured",
            "effective_phase": "mold_development",
            "forecast_mold_open": "999",
        },
    ).with_columns(
        open_forecast_sales=pl.col("forecast_mold_open")
        + pl.col("forecast_product_open")
    )

    weighted = with_weighted_forecast(frame, Settings())

    # L 100 × 0.25 = 25; M 200 × 0.50 = 100; H 400 × 0.75 = 300; Secured weighs 0
    by_deal = dict(
        zip(weighted["deal_id"], weighted["weighted_open_forecast"], strict=True)
    )
    assert by_deal == {
        "L": Decimal("25"),
        "M": Decimal("100"),
        "H": Decimal("300"),
        "S": Decimal("0"),
    }


def test_integrated_board_gap_below_zero_is_healthy_without_coverage() -> None:
    frame = deals(
        {
            "deal_id": "MP",
            "effective_phase": "mass_production",
            "actual_product_closed": "80",
        },
        {
            "deal_id": "MD",
            "effective_phase": "mold_development",
            "forecast_mold_open": "50",
        },
    )

    total, tracks = integrated_board(frame, targets(("T1", "100")), D, Settings())

    # gap = 100 − 80 − 50 = −30
    assert total.gap == Decimal("-30")
    assert total.coverage is None
    assert total.coverage_status == "healthy"
    assert total.monthly_pace == 0
    assert tracks["T1"] == total


def test_integrated_board_coverage_exactly_one_and_a_half_is_healthy() -> None:
    frame = deals(
        {
            "deal_id": "MP",
            "effective_phase": "mass_production",
            "forecast_product_open": "600",
        },
        {"deal_id": "H", "stage": "H Potential", "forecast_product_open": "800"},
    )

    total, _ = integrated_board(frame, targets(("T1", "1000")), D, Settings())

    # gap = 1000 − 600 = 400; weighted = 800 × 0.75 = 600; coverage = 600 ÷ 400 = 1.5
    assert total.gap == Decimal("400")
    assert total.pipeline == Decimal("800")
    assert total.weighted_pipeline == Decimal("600")
    assert total.coverage == Decimal("1.5")
    assert total.coverage_status == "healthy"
    assert total.monthly_pace == Decimal("400") / 7


def test_integrated_board_total_pools_tracks_and_counts_unsplit_targets() -> None:
    frame = deals(
        {
            "deal_id": "A",
            "track": "T1",
            "effective_phase": "mass_production",
            "actual_product_closed": "100",
            "forecast_product_open": "50",
        },
        {
            "deal_id": "B",
            "track": "T2",
            "effective_phase": "mold_development",
            "actual_mold_closed": "20",
        },
        {
            "deal_id": "C",
            "track": "T2",
            "stage": "L Potential",
            "forecast_mold_open": "40",
        },
    )
    goal = targets(("T1", "300"), ("T2", "100"), ("", "1000"))

    total, tracks = integrated_board(frame, goal, D, Settings())

    # T1: target 300, mp E = 100 + 50 = 150, gap = 300 − 150 = 150, no pipeline
    assert tracks["T1"].mp_expected == Decimal("150")
    assert tracks["T1"].gap == Decimal("150")
    assert tracks["T1"].coverage == Decimal("0")
    assert tracks["T1"].coverage_status == "alert"
    # T2: target 100, mold E 20, gap 80, weighted 40 × 0.25 = 10, coverage 10 ÷ 80
    assert tracks["T2"].gap == Decimal("80")
    assert tracks["T2"].weighted_pipeline == Decimal("10")
    assert tracks["T2"].coverage == Decimal("10") / Decimal("80")
    # total: target 300 + 100 + 1000 (a row split by no track) = 1400,
    # gap = 1400 − 150 − 20 = 1230
    assert total.target == Decimal("1400")
    assert total.gap == Decimal("1230")
    assert total.pipeline == Decimal("40")


@pytest.mark.parametrize(
    ("secured_on", "counted"),
    [
        (date(2026, 6, 1), True),  # first day of M0
        (date(2026, 6, 10), True),  # D itself
        (date(2026, 6, 11), False),  # after D
        (date(2026, 5, 31), False),  # before M0
        (None, False),
    ],
)
def test_integrated_board_converted_this_month_by_secured_date(
    secured_on: date | None, counted: bool
) -> None:
    frame = deals(
        {
            "deal_id": "S",
            "stage": "Secured",
            "effective_phase": "mold_development",
            "secured_on": secured_on,
            "actual_mold_closed": "30",
            "forecast_mold_open": "70",
        }
    )

    total, _ = integrated_board(frame, targets(), D, Settings())

    # E = 30 (closed) + 70 (open) = 100
    assert total.converted_this_month == (Decimal("100") if counted else Decimal("0"))
