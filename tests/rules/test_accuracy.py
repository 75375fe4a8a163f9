"""Weighted forecast accuracy: per stage, pooled in total, weighted 20/30/50."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from rules.accuracy import month_accuracy, stage_accuracy
from rules.settings import Settings

MONEY = pl.Decimal(18, 2)


def facts(*rows: tuple[str, str, str, str, str]) -> pl.DataFrame:
    """Rows of (track, effective_phase, deal_id, forecast F, actual A) in 2026-03."""
    return pl.DataFrame(
        [
            {
                "label": "2026-03",
                "track": track,
                "effective_phase": phase,
                "deal_id": deal,
                "forecast": Decimal(f),
                "actual": Decimal(a),
            }
            for track, phase, deal, f, a in rows
        ],
        schema={
            "label": pl.String,
            "track": pl.String,
            "effective_phase": pl.String,
            "deal_id": pl.String,
            "forecast": MONEY,
            "actual": MONEY,
        },
    )


@pytest.mark.parametrize(
    ("forecast", "actual", "error", "accuracy", "bias"),
    [
        # every A = F = 0: accuracy 1, bias undefined
        ("0", "0", "0", Decimal(1), None),
        # ΣA = 0 < ΣF: accuracy 0, bias undefined
        ("100", "0", "100", Decimal(0), None),
        # 1 − |100 − 90| ÷ 100 = 0.9; bias (90 − 100) ÷ 100 = −0.1
        ("90", "100", "10", Decimal("0.9"), Decimal("-0.1")),
        # 1 − 150 ÷ 100 = −0.5, floored at 0; bias 150 ÷ 100 = 1.5
        ("250", "100", "150", Decimal(0), Decimal("1.5")),
    ],
)
def test_stage_accuracy_edge_cases(
    forecast: str, actual: str, error: str, accuracy: Decimal, bias: Decimal | None
) -> None:
    result = stage_accuracy(Decimal(forecast), Decimal(actual), Decimal(error))

    assert result.accuracy == accuracy
    assert result.bias == bias


def test_month_accuracy_one_miss_is_not_hidden_by_another_surprise() -> None:
    rows = facts(
        ("T1", "mass_production", "a", "150", "100"),
        ("T1", "mass_production", "b", "50", "100"),
    )

    month = month_accuracy(rows, Settings(), [])[("2026-03",)]

    # Σ|A − F| = 50 + 50 = 100, ΣA = 200: 1 − 100 ÷ 200 = 0.5
    # bias = (ΣF − ΣA) ÷ ΣA = (200 − 200) ÷ 200 = 0
    assert month.mass_production.accuracy == Decimal("0.5")
    assert month.mass_production.bias == Decimal(0)


def test_month_accuracy_total_pools_deals_not_track_averages() -> None:
    rows = facts(
        ("T1", "mass_production", "a", "50", "100"),  # T1: 1 − 50/100 = 0.5
        ("T2", "mass_production", "b", "300", "300"),  # T2: 1 − 0/300 = 1
    )

    total = month_accuracy(rows, Settings(), [])[("2026-03",)]
    by_track = month_accuracy(rows, Settings(), ["track"])

    # pooled: 1 − (50 + 0) ÷ (100 + 300) = 0.875, not (0.5 + 1) ÷ 2 = 0.75
    assert total.mass_production.accuracy == Decimal("0.875")
    assert by_track[("2026-03", "T1")].mass_production.accuracy == Decimal("0.5")
    assert by_track[("2026-03", "T2")].mass_production.accuracy == Decimal(1)


def test_month_accuracy_weights_the_three_stages() -> None:
    rows = facts(
        ("T1", "opportunity", "o", "50", "100"),  # 1 − 50/100 = 0.5
        ("T1", "mold_development", "m", "90", "100"),  # 1 − 10/100 = 0.9
        ("T1", "mass_production", "p", "200", "200"),  # 1
    )

    month = month_accuracy(rows, Settings(), [])[("2026-03",)]

    # 0.2 × 0.5 + 0.3 × 0.9 + 0.5 × 1 = 0.1 + 0.27 + 0.5 = 0.87
    assert month.weighted == Decimal("0.87")


def test_month_accuracy_stage_without_deals_scores_one() -> None:
    rows = facts(("T1", "opportunity", "o", "0", "100"))  # 1 − 100/100 = 0

    month = month_accuracy(rows, Settings(), [])[("2026-03",)]

    # opportunity 0; mold and mass production hold no deal (all zero): 1 each
    # 0.2 × 0 + 0.3 × 1 + 0.5 × 1 = 0.8
    assert month.opportunity.accuracy == 0
    assert month.mold_development.accuracy == 1
    assert month.weighted == Decimal("0.8")
