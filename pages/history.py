"""历史 History: snapshots, baseline against today, snapshot changes, deal trace."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import data, errors, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import labels, lang, t, term
from warehouse import drilldown

# Up to this many frozen forecast rows the chain is verified on every visit.
AUTO_VERIFY_ROWS = 500_000

view = sidebar.current()
navigation.require_page(view.actor, "history")
st.title(t("page.history"))
snapshots, frozen_rows = data.snapshots(view.scope)
tab_snapshots, tab_baseline, tab_changes, tab_trace = st.tabs(
    [
        t("history.snapshots"),
        t("history.baseline"),
        t("history.changes"),
        t("history.trace"),
    ]
)

with tab_snapshots:
    # Recomputing the chain reads every frozen row: at once for a small
    # warehouse, on request when ten years of snapshots make it take a while.
    verdict = None
    if frozen_rows <= AUTO_VERIFY_ROWS or st.button(t("history.verify")):
        with st.spinner(t("history.verifying")):
            verdict = data.verify(view.scope)
        (st.success if verdict.ok else st.error)(verdict.text(lang()))
    else:
        st.caption(t("history.verify_hint", rows=f"{frozen_rows:,}"))
    broken = {b.label for b in verdict.broken} if verdict else set()
    tables.show(
        pl.DataFrame(
            {
                "label": [s.label for s in snapshots],
                "as_of": [s.as_of for s in snapshots],
                "taken_at": [s.taken_at for s in snapshots],
                "taken_by": [s.taken_by for s in snapshots],
                "deal_count": [s.deal_count for s in snapshots],
                "forecast_rows": [s.forecast_rows for s in snapshots],
                "status": [
                    "alert" if s.label in broken else "healthy" for s in snapshots
                ],
            },
            schema={
                "label": pl.String,
                "as_of": pl.Date,
                "taken_at": pl.Datetime,
                "taken_by": pl.String,
                "deal_count": pl.Int64,
                "forecast_rows": pl.Int64,
                "status": pl.String,
            },
        ),
        {
            "label": st.column_config.TextColumn(t("history.label")),
            "as_of": fmt.date_column(t("sidebar.as_of")),
            "taken_at": fmt.datetime_column(t("history.taken_at")),
            "taken_by": st.column_config.TextColumn(t("history.taken_by")),
            "deal_count": st.column_config.NumberColumn(t("col.deals")),
            "forecast_rows": st.column_config.NumberColumn(t("history.forecast_rows")),
            "status": st.column_config.TextColumn(t("history.verified")),
        },
        status="status",
        status_kind="verify",
    )

with tab_baseline:
    st.caption(t("history.baseline_caption", year=view.as_of.year))
    comparison = data.baseline_comparison(view.scope).with_columns(
        pl.col("effective_phase").map_elements(lambda p: term("phase", p), pl.String),
        pl.col("phase_now").map_elements(lambda p: term("phase", p), pl.String),
    )
    tables.show(
        tables.in_wan(
            comparison, "sales", "expected", "difference", "expected_order_amount"
        ),
        {
            "deal_id": st.column_config.TextColumn(t("col.deal_id")),
            "deal_name": st.column_config.TextColumn(t("col.deal_name")),
            "track": st.column_config.TextColumn(t("col.track")),
            "account_manager": st.column_config.TextColumn(t("col.account_manager")),
            "effective_phase": st.column_config.TextColumn(
                t("history.phase_at_baseline")
            ),
            "phase_now": st.column_config.TextColumn(t("history.phase_now")),
            "locked": st.column_config.CheckboxColumn(t("history.locked")),
            "version": st.column_config.NumberColumn(t("history.version")),
            "expected_order_month": st.column_config.DateColumn(
                t("history.order_month"), format="YYYY-MM"
            ),
            "expected_order_amount": fmt.money_column(t("history.order_amount")),
            "sales": fmt.money_column(t("history.baseline_sales")),
            "expected": fmt.money_column(t("col.expected")),
            "difference": fmt.money_column(t("col.difference")),
        },
        height=400,
    )

with tab_changes:
    snapshot_labels = [s.label for s in snapshots]
    if len(snapshot_labels) < 2:
        st.info(t("history.need_two"))
    else:
        left, right = st.columns(2)
        earlier = left.selectbox(
            t("history.from"), snapshot_labels, index=len(snapshot_labels) - 2
        )
        later = right.selectbox(
            t("history.to"), snapshot_labels, index=len(snapshot_labels) - 1
        )
        changes = data.snapshot_changes(view.scope, earlier, later)
        summary = drilldown.snapshot_changes_by_track(changes)
        pivot = tables.in_wan(summary, "difference").with_columns(
            pl.col("change").map_elements(lambda c: term("change", c), pl.String)
        )
        st.caption(t("history.changes_caption"))
        tables.show(
            pivot,
            {
                "track": st.column_config.TextColumn(t("col.track")),
                "change": st.column_config.TextColumn(t("history.change")),
                "deals": st.column_config.NumberColumn(t("col.deals")),
                "difference": fmt.money_column(t("history.difference")),
            },
        )
        left, right = st.columns(2)
        track = left.selectbox(
            t("col.track"), sorted(set(changes["track"])), key="change_track"
        )
        change = right.selectbox(
            t("history.change"),
            drilldown.CHANGES,
            format_func=labels("change", drilldown.CHANGES),
            key="change_kind",
        )
        behind = changes.filter(
            (pl.col("track") == track) & (pl.col("change") == change)
        )
        tables.show(
            tables.in_wan(behind, "earlier_value", "later_value", "difference"),
            {
                "deal_id": st.column_config.TextColumn(t("col.deal_id")),
                "deal_name": st.column_config.TextColumn(t("col.deal_name")),
                "account_manager": st.column_config.TextColumn(
                    t("col.account_manager")
                ),
                "earlier_order_month": st.column_config.DateColumn(
                    t("history.earlier_month"), format="YYYY-MM"
                ),
                "later_order_month": st.column_config.DateColumn(
                    t("history.later_month"), format="YYYY-MM"
                ),
                "earlier_value": fmt.money_column(t("history.earlier_value")),
                "later_value": fmt.money_column(t("history.later_value")),
                "difference": fmt.money_column(t("history.difference")),
            },
        )

with tab_trace:
    # A typed deal number rather than a list: ten years hold 100,000 deals.
    deal_id = st.text_input(
        t("col.deal_id"), placeholder=t("history.deal_hint"), key="trace_deal"
    ).strip()
    if deal_id:
        with errors.shown():
            tables.trace_table(data.trace(view.scope, deal_id))
