"""商品模 Commodity under AppTest: YTD attainment equals the board's."""

from __future__ import annotations

from ui import format as fmt
from warehouse.board import build_board


def test_commodity_figures_equal_board(
    dashboard, sample_db, sample_warehouse, as_of, settings
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("commodity")

    with sample_warehouse.cursor() as cur:
        total = build_board(cur, as_of, settings).commodity.total
    assert not at.exception, [e.value for e in at.exception]
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["商品模接单目标（年初至今）"] == fmt.money(total.order_target)
    assert shown["商品模实际接单（年初至今）"] == fmt.money(total.orders)
    assert shown["商品模接单达成率"] == fmt.percent(total.attainment)
    assert len(at.get("plotly_chart")) >= 2
