"""客户经理复盘 Manager review (PDCA D2): a director reviews each manager monthly."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import data, errors, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import labels, lang, t, term
from warehouse import drilldown
from warehouse.access import allowed

view = sidebar.current()
navigation.require_page(view.actor, "review")
actor = view.actor
st.title(t("page.review"))
st.caption(t("review.caption", as_of=view.as_of))

deals = data.deals_in_scope(view.scope)
tracks = sorted(deals["track"].unique().to_list())
left, right = st.columns(2)
track = left.selectbox(t("col.track"), tracks, key="review_track")
in_track = deals.filter(pl.col("track") == track)
manager = right.selectbox(
    t("col.account_manager"),
    sorted(in_track["account_manager"].unique().to_list()),
    key="review_manager",
)
if track is None or manager is None:
    st.info(t("common.none"))
    st.stop()

st.subheader(t("review.booking"))
expectations = data.deal_expectations(view.scope).filter(
    (pl.col("account_manager") == manager)
    & (pl.col("effective_phase") == "opportunity")
    & (pl.col("order_amount_m0") > 0)
)
tables.show(
    tables.in_wan(expectations, "order_amount_m0"),
    {
        "deal_id": st.column_config.TextColumn(t("col.deal_id")),
        "deal_name": st.column_config.TextColumn(t("col.deal_name")),
        "stage": st.column_config.TextColumn(t("col.stage")),
        "order_amount_m0": fmt.money_column(t("track.order_m0")),
        "has_h_potential_quote": st.column_config.CheckboxColumn(t("col.has_h_quote")),
    },
)

st.subheader(t("review.differences"))
differences = data.version_differences(view.scope).filter(
    (pl.col("account_manager") == manager)
    & (pl.col("precision_at").dt.year() == view.as_of.year)
)
follow_up = {
    (a.deal_id, a.period[:19]): a for a in data.alerts(view.scope, kind="version_diff")
}
statuses = []
for row in differences.iter_rows(named=True):
    alert = follow_up.get((row["deal_id"], row["precision_at"].isoformat()[:19]))
    statuses.append(
        "" if alert is None else ("overdue" if alert.overdue else alert.status)
    )
differences = differences.with_columns(
    pl.Series("status", statuses, dtype=pl.String),
    pl.col("direction").map_elements(lambda d: term("direction", d), pl.String),
)
tables.show(
    tables.in_wan(differences, "sales_difference", "order_difference"),
    {
        "deal_id": st.column_config.TextColumn(t("col.deal_id")),
        "deal_name": st.column_config.TextColumn(t("col.deal_name")),
        "direction": st.column_config.TextColumn(t("alerts.direction")),
        "sales_difference": fmt.money_column(t("review.sales_difference")),
        "order_difference": fmt.money_column(t("review.order_difference")),
        "status": st.column_config.TextColumn(t("review.followed_up")),
        "precision_at": fmt.datetime_column(t("review.precision_at")),
    },
    status="status",
    status_kind="alert_status",
)
by_quarter = drilldown.version_difference_by_quarter(differences)
st.markdown(f"**{t('review.by_quarter')}**")
tables.show(
    tables.in_wan(by_quarter, "sales_difference", "order_difference"),
    {
        "quarter": st.column_config.NumberColumn(t("col.quarter"), format="Q%d"),
        "sales_difference": fmt.money_column(t("review.sales_difference")),
        "order_difference": fmt.money_column(t("review.order_difference")),
        "submissions": st.column_config.NumberColumn(t("review.submissions")),
    },
)

previous = data.last_month(view.as_of)
st.subheader(t("review.last_alerts", month=previous))
own_alerts = [
    a
    for a in data.alerts(view.scope, track=track)
    if a.account_manager == manager and a.period[:7] == previous
]
tables.show(
    tables.alert_rows(own_alerts),
    tables.alert_columns(),
    status="status",
    status_kind="alert_status",
)

st.subheader(t("review.commodity"))
attainment = data.board(view.scope).commodity.account_managers.get(manager)
if attainment is None:
    st.caption(t("review.no_commodity"))
else:
    columns = st.columns(3)
    columns[0].metric(
        t("metric.order_target_ytd"), fmt.money(attainment.order_target, lang())
    )
    columns[1].metric(t("metric.orders_ytd"), fmt.money(attainment.orders, lang()))
    columns[2].metric(
        t("metric.order_attainment_ytd"), fmt.percent(attainment.attainment)
    )

st.subheader(t("review.notes"))
notes = data.review_notes(view.scope, manager).with_columns(
    pl.col("kind").map_elements(lambda k: term("review_kind", k), pl.String)
)
tables.show(
    notes,
    {
        "review_month": st.column_config.DateColumn(
            t("review.month"), format="YYYY-MM"
        ),
        "kind": st.column_config.TextColumn(t("review.kind")),
        "body": st.column_config.TextColumn(t("review.body"), width="large"),
        "due_on": fmt.date_column(t("review.due_on")),
        "written_by": st.column_config.TextColumn(t("review.written_by")),
    },
)
if not allowed(actor, "record_review", track=track):
    st.caption(t("review.only_director"))
    st.stop()

with st.form("review_note", clear_on_submit=True):
    kind = st.radio(
        t("review.kind"),
        drilldown.REVIEW_KINDS,
        format_func=labels("review_kind", drilldown.REVIEW_KINDS),
        horizontal=True,
    )
    body = st.text_area(t("review.body"), placeholder=t("review.body_hint"))
    due_on = st.date_input(t("review.due_on"), value=None, help=t("review.due_help"))
    if st.form_submit_button(t("review.save"), type="primary"):
        with errors.shown(), data.held() as wh:
            drilldown.record_review_note(
                wh,
                actor,
                review_month=view.as_of,
                track=track,
                account_manager=manager,
                kind=kind,
                body=body,
                due_on=due_on if kind == "task" else None,
            )
            data.clear()
            errors.done(t("review.saved", manager=fmt.plain(manager)))
