"""准确率 Accuracy under AppTest: month × track; a month without snapshot is missing."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from warehouse.board import accuracy_by_month


def test_accuracy_grid_equals_rules_for_sample(
    dashboard, sample_db, sample_warehouse, as_of, settings
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("accuracy")

    with sample_warehouse.cursor() as cur:
        rows = accuracy_by_month(cur, as_of.year, as_of, settings)
    assert not at.exception, [e.value for e in at.exception]
    grid = at.dataframe[0].value.set_index("month")
    for row in rows:
        shown = grid.loc[row.month, row.track or "合计"]
        # Shown in percent to one place: 0.87345 → 87.3, half-up.
        expected = (row.accuracy.weighted * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert Decimal(str(shown)) == expected


def test_accuracy_month_without_snapshot_is_missing_not_zero(
    dashboard, sample_db
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    # As of 2027-02-10, January 2027 is closed but the sample has no snapshot
    # for it: the cell must be empty (shown as "—"), never 0 or 100 %.
    page.at.date_input(key="as_of").set_value(date(2027, 2, 10)).run()
    at = page.open("accuracy")

    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0]
    assert table.proto.placeholder == "—"
    grid = table.value.set_index("month")
    value = grid.loc["2027-01", "合计"]
    assert value is None or (isinstance(value, float) and math.isnan(value))
