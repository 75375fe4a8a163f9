"""The calendar of an as-of date D (SPEC §4): year, current month, closed months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AsOf:
    """As-of date D with Y = year of D, M0 = month of D, closed months 1 … M0 − 1."""

    as_of: date

    @property
    def year(self) -> int:
        """Y, the year of D."""
        return self.as_of.year

    @property
    def current_month(self) -> int:
        """M0, the month number of D (1–12)."""
        return self.as_of.month

    @property
    def remaining_months(self) -> int:
        """Open months M0 … 12 counted: 13 − M0."""
        return 13 - self.current_month

    @property
    def year_start(self) -> date:
        """First day of Y."""
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        """First day of Y + 1 (exclusive end of Y)."""
        return date(self.year + 1, 1, 1)

    @property
    def m0_start(self) -> date:
        """First day of M0."""
        return date(self.year, self.current_month, 1)

    @property
    def closed_months(self) -> list[date]:
        """First days of the closed months of Y (the months before M0)."""
        return [date(self.year, m, 1) for m in range(1, self.current_month)]

    @property
    def period(self) -> str:
        """M0 as the 'YYYY-MM' label alerts and snapshots use."""
        return month_label(self.m0_start)


def month_label(month: date) -> str:
    """A month as its 'YYYY-MM' label."""
    return f"{month.year:04d}-{month.month:02d}"
