"""The calendar of an as-of date: Y, M0, closed months, remaining months."""

from __future__ import annotations

from datetime import date

import pytest

from rules.period import AsOf, month_label


@pytest.mark.parametrize(
    ("as_of", "remaining", "closed"),
    [
        # remaining_months = 13 − M0
        (date(2026, 1, 31), 13 - 1, []),
        (
            date(2026, 6, 10),
            13 - 6,
            ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
        ),
        (date(2026, 12, 1), 13 - 12, [f"2026-{m:02d}" for m in range(1, 12)]),
    ],
)
def test_as_of_calendar_months(as_of: date, remaining: int, closed: list[str]) -> None:
    period = AsOf(as_of)

    assert period.year == 2026
    assert period.remaining_months == remaining
    assert [month_label(m) for m in period.closed_months] == closed
    assert period.m0_start == date(2026, as_of.month, 1)
    assert period.period == f"2026-{as_of.month:02d}"
