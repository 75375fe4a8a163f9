"""转化分析 Conversion: opportunities won, by customer, track and quarter."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import labels, lang, t
from warehouse import drilldown

DIMENSIONS = ("track", "customer", "created_quarter")
LINES = ("integrated", "commodity")

view = sidebar.current()
navigation.require_page(view.actor, "conversion")
st.title(t("page.conversion"))
st.caption(t("conversion.caption", as_of=view.as_of))

left, right = st.columns(2)
line = left.segmented_control(
    t("conversion.line"),
    LINES,
    format_func=labels("business_line", LINES),
    default="integrated",
    required=True,
    key="conversion_line",
)
by = right.segmented_control(
    t("conversion.by"),
    DIMENSIONS,
    format_func=labels("conversion", DIMENSIONS),
    default="track",
    required=True,
    key="conversion_by",
)

deals = data.conversion_deals(view.scope).filter(pl.col("business_line") == line)
won = deals.filter(pl.col("outcome") == "won")
decided = len(won) + len(deals.filter(pl.col("outcome") == "lost"))
columns = st.columns(4)
columns[0].metric(t("conversion.deals"), len(deals))
columns[1].metric(t("outcome.won"), len(won))
columns[2].metric(
    t("conversion.win_rate"),
    fmt.percent(fmt.to_decimal(len(won)) / decided if decided else None),
    help=t("conversion.win_rate_help"),
)
columns[3].metric(
    t("conversion.won_orders"),
    fmt.money(won["forecast_order_amount"].sum(), lang()),
    help=t("conversion.won_orders_help"),
)

summary = drilldown.conversion_summary(deals, by).with_columns(
    (pl.col("win_rate") * 100).round(1)
)
amounts = [
    "order_amount",
    "won_order_amount",
    "won_mold_sales",
    "won_product_sales",
    "actual_orders",
]
tables.show(
    tables.in_wan(summary, *amounts),
    {
        by: st.column_config.TextColumn(t(f"conversion.{by}")),
        "deals": st.column_config.NumberColumn(t("conversion.deals")),
        "won": st.column_config.NumberColumn(t("outcome.won")),
        "lost": st.column_config.NumberColumn(t("outcome.lost")),
        "open": st.column_config.NumberColumn(t("outcome.open")),
        "win_rate": fmt.percent_column(t("conversion.win_rate")),
        "order_amount": fmt.money_column(t("conversion.order_amount")),
        "won_order_amount": fmt.money_column(t("conversion.won_orders")),
        "won_mold_sales": fmt.money_column(t("conversion.won_mold")),
        "won_product_sales": fmt.money_column(t("conversion.won_product")),
        "actual_orders": fmt.money_column(t("conversion.actual_orders")),
    },
)

top = summary.sort("won_order_amount", descending=True).head(15)
st.plotly_chart(
    charts.stacked_bars(
        top[by].to_list(),
        {
            t("conversion.won_mold"): top["won_mold_sales"].to_list(),
            t("conversion.won_product"): top["won_product_sales"].to_list(),
        },
        t("conversion.chart", by=t(f"conversion.{by}")),
        horizontal=True,
    ),
    width="stretch",
)
st.caption(t("conversion.product_note"))
