"""告警 Alerts: filter, handle or escalate; delivery status and the daily run."""

from __future__ import annotations

import polars as pl
import streamlit as st

from handoffs.schedule import RunReport, run_due
from rules.alerts import KINDS
from ui import data, errors, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import labels, t, term
from warehouse.access import allowed
from warehouse.alerts import Alert, escalate_alert, handle_alert
from warehouse.users import Actor

STATUSES = ("open", "overdue", "escalated", "handled")
CHANNELS = ("email", "webhook")
# Limitation: the delivery table shows the newest messages only (the counts
# above it cover all) — bites when looking for an old message in a long history.
OUTBOX_ROWS = 1000


def act_on(alert: Alert, actor: Actor) -> None:
    """The chosen alert's figures and the forms to handle or escalate it."""
    st.subheader(t("alerts.act", id=alert.alert_id, kind=term("kind", alert.kind)))
    with st.expander(t("alerts.figures")):
        st.json(alert.figures)

    if alert.status == "handled":
        st.info(
            t("alerts.already_handled", conclusion=fmt.plain(alert.conclusion or ""))
        )
        return

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


def delivery_rows(outbox: pl.DataFrame) -> pl.DataFrame:
    """The newest outbox messages as table rows, recipients in the user's words."""
    shown = outbox.sort("message_id", descending=True).head(OUTBOX_ROWS)
    recipients = [
        t("alerts.pdca_mailbox")
        if kind == "mailbox"
        else t("alerts.track_chat", track=name)
        if kind == "webhook"
        else name
        for kind, name in zip(shown["recipient_kind"], shown["recipient"], strict=True)
    ]
    return shown.with_columns(
        pl.Series("recipient", recipients, dtype=pl.String),
        pl.col("kind").replace({kind: term("kind", kind) for kind in KINDS}),
        pl.col("channel").replace({c: term("channel", c) for c in CHANNELS}),
    )


def run_summary(report: RunReport) -> str:
    """What one scheduled run did, in sentences, as the command line says it."""
    lines = [t("alerts.due_done", as_of=report.as_of)]
    if report.snapshot_taken:
        lines.append(t("alerts.due_snapshot", label=report.snapshot_taken))
    if report.snapshot_missing:
        lines.append(t("alerts.due_snapshot_missing", label=report.snapshot_missing))
    if report.alerts_raised:
        lines.append(t("alerts.due_raised", count=len(report.alerts_raised)))
    if report.accuracy_recorded:
        lines.append(t("alerts.due_accuracy", month=report.accuracy_recorded))
    sent = report.delivery
    if report.queued or sent.attempted:
        lines.append(
            t(
                "alerts.due_notified",
                queued=report.queued,
                attempted=sent.attempted,
                delivered=sent.delivered,
                failed=sent.failed,
            )
        )
    if sent.errors:
        lines.append(t("alerts.due_error", error=fmt.plain(sent.errors[0])))
    if report.nothing_new:
        lines.append(t("alerts.due_nothing", as_of=report.as_of))
    return "  \n".join(lines)


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
else:
    act_on(alerts[chosen], actor)

outbox = data.outbox(view.scope)
with st.expander(t("alerts.delivery")):
    counts = dict(outbox.group_by("status").len().iter_rows())
    st.caption(
        t(
            "alerts.delivery_caption",
            queued=counts.get("queued", 0),
            retrying=counts.get("retrying", 0),
            delivered=counts.get("delivered", 0),
            rows=OUTBOX_ROWS,
        )
    )
    tables.show(
        delivery_rows(outbox),
        {
            "alert_id": st.column_config.TextColumn(t("alerts.id")),
            "kind": st.column_config.TextColumn(t("alerts.kind")),
            "recipient": st.column_config.TextColumn(t("alerts.recipient")),
            "channel": st.column_config.TextColumn(t("alerts.channel")),
            "status": st.column_config.TextColumn(t("col.status")),
            "attempts": st.column_config.NumberColumn(t("alerts.attempts")),
            "last_error": st.column_config.TextColumn(
                t("alerts.last_error"), width="large"
            ),
            "next_attempt_at": fmt.datetime_column(t("alerts.next_attempt_at")),
            "last_attempt_at": fmt.datetime_column(t("alerts.last_attempt_at")),
        },
        status="status",
        status_kind="delivery_status",
    )

if allowed(actor, "run_schedule"):
    st.subheader(t("alerts.schedule"))
    st.caption(t("alerts.schedule_caption", as_of=view.as_of))
    if st.button(t("alerts.run_due"), key="run_due"):
        with (
            st.spinner(t("alerts.running_due", as_of=view.as_of)),
            errors.shown(),
            data.held() as wh,
        ):
            report = run_due(wh, view.as_of, data.settings(), user_name=actor.name)
            data.clear()
            errors.done(run_summary(report), "alert_table")
