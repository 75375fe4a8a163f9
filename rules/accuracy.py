"""Weighted forecast accuracy of a closed month with a snapshot (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from rules.expected_revenue import PHASES
from rules.settings import Settings


@dataclass(frozen=True)
class StageAccuracy:
    """accuracy_p and bias_p of one stage, with the sums they come from (CNY)."""

    accuracy: Decimal
    bias: Decimal | None
    forecast: Decimal
    actual: Decimal
    absolute_error: Decimal
    deals: int


@dataclass(frozen=True)
class MonthAccuracy:
    """The three stage accuracies of a month and their weighted sum (ratios)."""

    month: str
    opportunity: StageAccuracy
    mold_development: StageAccuracy
    mass_production: StageAccuracy
    weighted: Decimal

    def stage(self, phase: str) -> StageAccuracy:
        """The accuracy of one of the three stages by its phase name."""
        return {
            "opportunity": self.opportunity,
            "mold_development": self.mold_development,
            "mass_production": self.mass_production,
        }[phase]


def stage_accuracy(
    forecast: Decimal, actual: Decimal, absolute_error: Decimal, deals: int = 0
) -> StageAccuracy:
    """accuracy_p = max(0, 1 − Σ|A − F| ÷ ΣA) and bias_p = Σ(F − A) ÷ ΣA, as ratios.

    When ΣA = 0: accuracy 1 if every A = F = 0 (no forecast either), else 0,
    and bias None.
    """
    if actual == 0:
        # Amounts are never negative, so ΣF = 0 means every F (and A) is 0.
        exact = forecast == 0 and absolute_error == 0
        return StageAccuracy(
            accuracy=Decimal(1) if exact else Decimal(0),
            bias=None,
            forecast=forecast,
            actual=actual,
            absolute_error=absolute_error,
            deals=deals,
        )

    return StageAccuracy(
        accuracy=max(Decimal(0), 1 - absolute_error / actual),
        bias=(forecast - actual) / actual,
        forecast=forecast,
        actual=actual,
        absolute_error=absolute_error,
        deals=deals,
    )


def weighted_accuracy(stages: dict[str, StageAccuracy], settings: Settings) -> Decimal:
    """weighted = 0.2 · opportunity + 0.3 · mold_development + 0.5 · mass_production."""
    return sum(
        (
            settings.accuracy_weights.get(p, Decimal(0)) * stages[p].accuracy
            for p in PHASES
        ),
        Decimal(0),
    )


def month_accuracy(
    facts: pl.DataFrame, settings: Settings, by: list[str]
) -> dict[tuple[str, ...], MonthAccuracy]:
    """Weighted accuracy per snapshot label (and per `by` group, e.g. track).

    `facts` has one row per deal and snapshot: label, effective_phase, forecast
    (F) and actual (A), plus the `by` columns. Groups pool their deals; a stage
    with no deal in a group is all-zero and scores 1.
    """
    keys = ["label", *by]
    sums = (
        facts.with_columns(absolute_error=(pl.col("actual") - pl.col("forecast")).abs())
        .group_by([*keys, "effective_phase"])
        .agg(
            pl.col("forecast").sum(),
            pl.col("actual").sum(),
            pl.col("absolute_error").sum(),
            pl.len().alias("deals"),
        )
        .sort([*keys, "effective_phase"])
    )

    stages: dict[tuple[str, ...], dict[str, StageAccuracy]] = {}
    for row in sums.iter_rows(named=True):
        key = tuple(str(row[k]) for k in keys)
        stages.setdefault(key, {})[str(row["effective_phase"])] = stage_accuracy(
            row["forecast"], row["actual"], row["absolute_error"], int(row["deals"])
        )

    zero = Decimal(0)
    result = {}
    for key, by_phase in stages.items():
        for phase in PHASES:
            by_phase.setdefault(phase, stage_accuracy(zero, zero, zero))
        result[key] = MonthAccuracy(
            month=key[0],
            opportunity=by_phase["opportunity"],
            mold_development=by_phase["mold_development"],
            mass_production=by_phase["mass_production"],
            weighted=weighted_accuracy(by_phase, settings),
        )
    return result


def empty_month(label: str, settings: Settings) -> MonthAccuracy:
    """The accuracy of a month whose snapshot holds no deal of the group (all 1)."""
    zero = Decimal(0)
    stages = {p: stage_accuracy(zero, zero, zero) for p in PHASES}
    return MonthAccuracy(
        month=label,
        opportunity=stages["opportunity"],
        mold_development=stages["mold_development"],
        mass_production=stages["mass_production"],
        weighted=weighted_accuracy(stages, settings),
    )
