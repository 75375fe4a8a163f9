"""商品模 Commodity: order attainment per manager and profit center, WIP, pipeline."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from ui import charts, data, metrics, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import t, term

view = sidebar.current()
navigation.require_page(view.actor, "commodity")
board = data.board(view.scope)
st.title(t("page.commodity"))
st.caption(t("commodity.caption", as_of=view.as_of))
metrics.commodity_figures(board.commodity.total, view.as_of)

attainment = data.commodity_attainment(view.scope)
tabs = st.tabs([t("col.account_manager"), t("col.profit_center")])
dimensions = (
    (
        "account_manager",
        board.commodity.account_managers,
        attainment.account_managers_monthly,
    ),
    (
        "profit_center",
        board.commodity.profit_centers,
        attainment.profit_centers_monthly,
    ),
)
for tab, (dimension, ytd, monthly) in zip(tabs, dimensions, strict=True):
    with tab:
        rows = pl.DataFrame(
            {
                "name": list(ytd),
                "order_target": [fmt.wan(a.order_target) for a in ytd.values()],
                "orders": [fmt.wan(a.orders) for a in ytd.values()],
                "attainment": [fmt.in_percent(a.attainment) for a in ytd.values()],
                "status": [
                    "alert"
                    if a.attainment is not None and a.attainment < 1
                    else "healthy"
                    for a in ytd.values()
                ],
            },
            schema={
                "name": pl.String,
                "order_target": pl.Decimal(18, 2),
                "orders": pl.Decimal(18, 2),
                "attainment": pl.Decimal(18, 1),
                "status": pl.String,
            },
        )
        tables.show(
            rows,
            {
                "name": st.column_config.TextColumn(t(f"col.{dimension}")),
                "order_target": fmt.money_column(t("metric.order_target_ytd")),
                "orders": fmt.money_column(t("metric.orders_ytd")),
                "attainment": fmt.percent_column(t("metric.order_attainment_ytd")),
                "status": st.column_config.TextColumn(t("col.status")),
            },
            status="status",
        )
        if not ytd:
            continue
        name = st.selectbox(
            t(f"col.{dimension}"), list(ytd), key=f"commodity_{dimension}"
        )
        own = monthly.filter(pl.col(dimension) == name).sort("month")
        st.plotly_chart(
            charts.plan_vs_actual(
                [date(view.as_of.year, m, 1) for m in own["month"]],
                own["order_target"].to_list(),
                # Orders of months after the as-of month are not known yet.
                [
                    orders if month <= view.as_of.month else None
                    for month, orders in zip(own["month"], own["orders"], strict=True)
                ],
                t("commodity.monthly_chart", name=name),
                t("commodity.target"),
                t("commodity.orders"),
            ),
            width="stretch",
        )

st.subheader(t("commodity.wip"))
wip = data.wip_vs_actual(view.scope)
by_month = (
    wip.group_by("month")
    .agg(pl.col("planned_sales").sum(), pl.col("actual_sales").sum())
    .sort("month")
)
st.plotly_chart(
    charts.plan_vs_actual(
        by_month["month"].to_list(),
        by_month["planned_sales"].to_list(),
        [
            value if month <= view.as_of.replace(day=1) else None
            for month, value in zip(
                by_month["month"], by_month["actual_sales"], strict=True
            )
        ],
        t("commodity.wip_chart"),
        t("commodity.planned"),
        t("commodity.shipped"),
    ),
    width="stretch",
)
tables.show(
    tables.in_wan(wip, "planned_sales", "actual_sales"),
    {
        "month": st.column_config.DateColumn(t("col.month"), format="YYYY-MM"),
        "track": st.column_config.TextColumn(t("col.track")),
        "planned_sales": fmt.money_column(t("commodity.planned")),
        "actual_sales": fmt.money_column(t("commodity.shipped")),
    },
    height=300,
)

st.subheader(t("commodity.pipeline"))
pipeline = data.commodity_pipeline(view.scope).with_columns(
    pl.col("stage").map_elements(lambda s: term("stage", s), pl.String)
)
tables.show(
    tables.in_wan(pipeline, "order_amount"),
    {
        "stage": st.column_config.TextColumn(t("col.stage")),
        "deals": st.column_config.NumberColumn(t("col.deals")),
        "order_amount": fmt.money_column(t("commodity.pipeline_amount")),
    },
)
