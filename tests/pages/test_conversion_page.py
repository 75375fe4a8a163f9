"""转化分析 Conversion under AppTest: win rate = won ÷ (won + lost)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ui import format as fmt
from warehouse import drilldown
from warehouse.users import OPERATOR


def test_conversion_win_rate_equals_deal_outcomes(
    dashboard, sample_db, sample_warehouse, as_of
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("conversion")

    with sample_warehouse.cursor() as cur:
        deals = drilldown.conversion_deals(cur, as_of, OPERATOR)
    integrated = deals.filter(pl.col("business_line") == "integrated")
    won = len(integrated.filter(pl.col("outcome") == "won"))
    lost = len(integrated.filter(pl.col("outcome") == "lost"))
    assert not at.exception, [e.value for e in at.exception]
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["赢单"] == str(won)
    assert shown["赢单率"] == fmt.percent(Decimal(won) / (won + lost))
    assert at.main.caption[-1].value.startswith("说明：抽取数据中没有产品维度")
