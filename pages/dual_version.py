"""双版本 Dual version: precision against rolling forecasts, by deal and by month."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import lang, t, term

view = sidebar.current()
navigation.require_page(view.actor, "dual_version")
st.title(t("page.dual_version"))
st.caption(t("dual.caption", year=view.as_of.year))

differences = data.version_differences(view.scope).filter(
    pl.col("precision_at").dt.year() == view.as_of.year
)
if st.toggle(t("dual.latest_only"), value=True, key="dual_latest"):
    differences = differences.unique("deal_id", keep="first", maintain_order=True)

columns = st.columns(4)
for column, direction in zip(
    columns, ("shortfall", "upside", "reshaped"), strict=False
):
    chosen = differences.filter(pl.col("direction") == direction)
    column.metric(
        term("direction", direction),
        len(chosen),
        delta=fmt.money(chosen["sales_difference"].sum(), lang()),
        delta_color="off",
        delta_arrow="off",
    )
columns[3].metric(
    t("dual.net"),
    fmt.money(differences["sales_difference"].sum(), lang()),
    help=t("dual.net_help"),
)

rows = tables.in_wan(differences, "sales_difference", "order_difference").with_columns(
    pl.col("months_changed").list.join(", ")
)
chosen = tables.show(
    rows,
    {
        "deal_id": st.column_config.TextColumn(t("col.deal_id")),
        "deal_name": st.column_config.TextColumn(t("col.deal_name")),
        "track": st.column_config.TextColumn(t("col.track")),
        "account_manager": st.column_config.TextColumn(t("col.account_manager")),
        "direction": st.column_config.TextColumn(t("alerts.direction")),
        "sales_difference": fmt.money_column(t("review.sales_difference")),
        "order_difference": fmt.money_column(t("review.order_difference")),
        "precision_at": fmt.datetime_column(t("review.precision_at")),
        "rolling_at": fmt.datetime_column(t("dual.rolling_at")),
        "months_changed": st.column_config.TextColumn(t("dual.months_changed")),
    },
    status="direction",
    status_kind="direction",
    key="dual_table",
    select=True,
)
if chosen is None:
    st.caption(t("dual.pick"))
    st.stop()

row = differences.row(chosen, named=True)
st.subheader(t("dual.side_by_side", deal=fmt.plain(row["deal_id"])))
months = data.version_difference_months(view.scope, row["deal_id"], row["precision_at"])
st.plotly_chart(
    charts.versions_by_month(
        months["month"].to_list(),
        months["rolling_sales"].to_list(),
        months["precision_sales"].to_list(),
        t("dual.chart"),
    ),
    width="stretch",
)
tables.show(
    tables.in_wan(
        months, "rolling_order", "precision_order", "rolling_sales", "precision_sales"
    ),
    {
        "month": st.column_config.DateColumn(t("col.month"), format="YYYY-MM"),
        "rolling_order": fmt.money_column(t("track.rolling_order")),
        "precision_order": fmt.money_column(t("track.precision_order")),
        "rolling_mold_sets": st.column_config.NumberColumn(t("track.rolling_sets")),
        "precision_mold_sets": st.column_config.NumberColumn(t("track.precision_sets")),
        "rolling_sales": fmt.money_column(t("track.rolling_sales")),
        "precision_sales": fmt.money_column(t("track.precision_sales")),
    },
)
