"""告警 Alerts: filter, handle with a conclusion or escalate to the CEO."""

from __future__ import annotations

import streamlit as st

from rules.alerts import KINDS
from ui import data, errors, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import labels, t, term
from warehouse.alerts import escalate_alert, handle_alert

STATUSES = ("open", "overdue", "escalated", "handled")

view = sidebar.current()
navigation.require_page(view.actor, "alerts")
actor = view.actor
st.title(t("page.alerts"))
st.caption(t("alerts.caption", as_of=view.as_of))

COLUMNS = tables.alert_columns()

if actor.role in ("ceo", "operator"):
    escalated = data.alerts(view.scope, status="escalated")
    st.subheader(t("alerts.escalations", count=len(escalated)))
    tables.show(
        tables.alert_rows(escalated),
        COLUMNS,
        status="status",
        status_kind="alert_status",
    )

st.subheader(t("alerts.list"))
left, middle, right = st.columns(3)
kind = left.selectbox(
    t("alerts.kind"),
    KINDS,
    index=None,
    format_func=labels("kind", KINDS),
    placeholder=t("common.all"),
    key="alert_kind",
)
status = middle.selectbox(
    t("col.status"),
    STATUSES,
    index=0,
    format_func=labels("alert_status", STATUSES),
    placeholder=t("common.all"),
    key="alert_status",
)
tracks = sorted(data.board(view.scope).integrated_tracks)
track = right.selectbox(
    t("col.track"), tracks, index=None, placeholder=t("common.all"), key="alert_track"
)

alerts = data.alerts(view.scope, kind=kind, status=status, track=track)
chosen = tables.show(
    tables.alert_rows(alerts),
    COLUMNS,
    status="status",
    status_kind="alert_status",
    key="alert_table",
    select=True,
)
if chosen is None:
    st.caption(t("alerts.pick"))
    st.stop()

alert = alerts[chosen]
st.subheader(t("alerts.act", id=alert.alert_id, kind=term("kind", alert.kind)))
with st.expander(t("alerts.figures")):
    st.json(alert.figures)

if alert.status == "handled":
    st.info(t("alerts.already_handled", conclusion=fmt.plain(alert.conclusion or "")))
    st.stop()

handle, escalate = st.columns(2)
with handle.form("handle_alert"):
    conclusion = st.text_area(
        t("alerts.conclusion"), placeholder=t("alerts.conclusion_hint")
    )
    if st.form_submit_button(t("alerts.handle"), type="primary"):
        with errors.shown(), data.held() as wh:
            handle_alert(wh, alert.alert_id, conclusion, user_name=actor.name)
            data.clear()
            errors.done(t("alerts.handled", id=alert.alert_id), "alert_table")
if alert.status == "open":
    with escalate.form("escalate_alert"):
        note = st.text_area(
            t("alerts.escalation_note"), placeholder=t("alerts.escalation_hint")
        )
        if st.form_submit_button(t("alerts.escalate")):
            with errors.shown(), data.held() as wh:
                escalate_alert(
                    wh,
                    alert.alert_id,
                    note,
                    user_name=actor.name,
                    settings=data.settings(),
                )
                data.clear()
                errors.done(t("alerts.escalated", id=alert.alert_id), "alert_table")
