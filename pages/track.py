"""赛道 Track: a director drills from the track to each manager to each deal."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, errors, metrics, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import t, term
from warehouse import drilldown

view = sidebar.current()
navigation.require_page(view.actor, "track")
board = data.board(view.scope)

st.title(t("page.track"))
tracks = sorted(board.integrated_tracks)
if not tracks:
    st.info(t("track.none"))
    st.stop()

track = st.selectbox(t("col.track"), tracks, key="track", bind="query-params")
track_board = board.integrated_tracks[track]
st.caption(
    t(
        "common.as_of_caption",
        as_of=view.as_of,
        year=board.year,
        remaining=board.remaining_months,
    )
)
metrics.key_figures(track_board, view.as_of, board.remaining_months, data.settings())

st.subheader(t("track.managers"))
deals = data.deal_expectations(view.scope).filter(pl.col("track") == track)
open_alerts: dict[str, int] = {}
for alert in data.alerts(view.scope, status="open", track=track):
    if alert.account_manager:
        open_alerts[alert.account_manager] = (
            open_alerts.get(alert.account_manager, 0) + 1
        )
managers = drilldown.manager_summary(deals, track_board.metrics.gap, open_alerts)
tables.show(
    tables.in_wan(
        managers, "mp_expected", "mold_expected", "pipeline", "weighted_pipeline"
    ),
    {
        "account_manager": st.column_config.TextColumn(t("col.account_manager")),
        "deals": st.column_config.NumberColumn(t("col.deals")),
        "mp_expected": fmt.money_column(t("metric.mp_expected")),
        "mold_expected": fmt.money_column(t("metric.mold_expected")),
        "pipeline": fmt.money_column(t("metric.pipeline")),
        "weighted_pipeline": fmt.money_column(t("metric.weighted_pipeline")),
        "gap_share": fmt.ratio_column(
            t("col.gap_share"), help=t("track.gap_share_help")
        ),
        "due_this_month": st.column_config.NumberColumn(t("col.due_this_month")),
        "without_h_quote": st.column_config.NumberColumn(t("track.without_h_quote")),
        "open_alerts": st.column_config.NumberColumn(t("col.open_alerts")),
    },
)

manager = st.selectbox(
    t("col.account_manager"),
    managers["account_manager"].to_list(),
    index=None,
    placeholder=t("track.pick_manager"),
    key="manager",
    bind="query-params",
)
if manager is None:
    st.stop()

st.subheader(t("track.deals_of", manager=fmt.plain(manager)))
own = deals.filter(pl.col("account_manager") == manager).with_columns(
    pl.col("effective_phase").map_elements(lambda p: term("phase", p), pl.String)
)
tables.show(
    tables.in_wan(own, "expected", "open_forecast_sales", "order_amount_m0"),
    {
        "deal_id": st.column_config.TextColumn(t("col.deal_id")),
        "deal_name": st.column_config.TextColumn(t("col.deal_name")),
        "customer": st.column_config.TextColumn(t("col.customer")),
        "stage": st.column_config.TextColumn(t("col.stage")),
        "effective_phase": st.column_config.TextColumn(t("col.phase")),
        "expected": fmt.money_column(t("col.expected")),
        "open_forecast_sales": fmt.money_column(t("track.open_forecast")),
        "order_amount_m0": fmt.money_column(t("track.order_m0")),
        "has_h_potential_quote": st.column_config.CheckboxColumn(t("col.has_h_quote")),
    },
)

# A bound widget keeps its option's label in the URL, so the options are the
# bare deal numbers (the names are in the table just above).
deal_id = st.selectbox(
    t("col.deal_id"),
    own["deal_id"].to_list(),
    index=None,
    placeholder=t("track.pick_deal"),
    key="deal",
    bind="query-params",
)
if deal_id is None:
    st.stop()

with errors.shown():
    detail = data.deal_detail(view.scope, deal_id)
    st.subheader(t("track.deal_detail", deal=fmt.plain(deal_id)))
    attributes = {
        t("col.deal_name"): detail.deal["deal_name"],
        t("col.customer"): detail.deal["customer"],
        t("col.stage"): detail.deal["stage"],
        t("col.phase"): term("phase", detail.deal["effective_phase"]),
        t("col.profit_center"): detail.deal["profit_center"],
        t("col.secured_on"): detail.deal["secured_on"],
        t("track.project"): detail.deal["project_id"],
        t("track.planned_mp"): detail.deal["planned_mp_on"],
    }
    st.dataframe(
        pl.DataFrame(
            {
                "field": list(attributes),
                "value": [
                    fmt.MISSING if v is None else str(v) for v in attributes.values()
                ],
            }
        ),
        hide_index=True,
        column_config={"field": t("track.field"), "value": t("track.value")},
    )

    versions = detail.forecasts
    zero = pl.lit(0).cast(pl.Decimal(18, 2))
    st.plotly_chart(
        charts.versions_by_month(
            versions["month"].to_list(),
            versions.select(pl.col("rolling_sales").fill_null(zero))["rolling_sales"],
            versions.select(pl.col("precision_sales").fill_null(zero))[
                "precision_sales"
            ],
            t("track.versions_chart"),
        ),
        width="stretch",
    )
    amounts = ["rolling_order", "precision_order", "rolling_sales", "precision_sales"]
    tables.show(
        tables.in_wan(versions, *amounts),
        {
            "month": st.column_config.DateColumn(t("col.month"), format="YYYY-MM"),
            "rolling_order": fmt.money_column(t("track.rolling_order")),
            "precision_order": fmt.money_column(t("track.precision_order")),
            "rolling_mold_sets": st.column_config.NumberColumn(t("track.rolling_sets")),
            "precision_mold_sets": st.column_config.NumberColumn(
                t("track.precision_sets")
            ),
            "rolling_sales": fmt.money_column(t("track.rolling_sales")),
            "precision_sales": fmt.money_column(t("track.precision_sales")),
        },
    )

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('track.quotes')}**")
        tables.show(
            tables.in_wan(detail.quotes, "amount"),
            {
                "quote_id": st.column_config.TextColumn(t("track.quote_id")),
                "stage": st.column_config.TextColumn(t("col.stage")),
                "quoted_on": fmt.date_column(t("track.quoted_on")),
                "amount": fmt.money_column(t("col.amount")),
            },
        )
    with right:
        st.markdown(f"**{t('track.actuals')}**")
        tables.show(
            tables.in_wan(detail.actuals, "mold_shipped", "product_shipped", "orders"),
            {
                "month": st.column_config.DateColumn(t("col.month"), format="YYYY-MM"),
                "mold_shipped": fmt.money_column(t("track.mold_shipped")),
                "product_shipped": fmt.money_column(t("track.product_shipped")),
                "orders": fmt.money_column(t("track.orders")),
            },
        )

    st.markdown(f"**{t('track.trace')}**")
    tables.trace_table(data.trace(view.scope, deal_id))
