"""Alerts of SPEC §5: evaluate every rule as of D, store the new ones, handle them.

An alert is raised once: its identity is (kind, subject_type, subject, period),
and a check stores only candidates whose identity was never raised. Alerts
and their status changes (`alert_events`: open → handled | escalated) are
append-only; the status of an alert is its latest event. raised_on is the
check's as-of date so that a check is reproducible; new alerts and
escalations are queued for delivery in the same transaction, so that no
message is lost between the two.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import polars as pl

from handoffs.outbox import queue_for_alerts
from rules.accuracy import MonthAccuracy, month_accuracy
from rules.alerts import (
    AlertCandidate,
    due_on,
    figures_json,
    low_accuracy_alerts,
    low_coverage_alerts,
    no_h_potential_alerts,
    order_shortfall_alerts,
    sales_shortfall_alerts,
    version_diff_alerts,
)
from rules.coverage import integrated_board
from rules.period import AsOf
from rules.settings import Settings, load_settings
from warehouse import audit, facts, sql
from warehouse.access import require
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound, WorkflowError
from warehouse.facts import Scope
from warehouse.users import OPERATOR, Actor, resolve

log = logging.getLogger(__name__)

STATUSES = ("open", "handled", "escalated")

_CANDIDATE_SCHEMA = {
    "ordinal": pl.Int64,
    "kind": pl.String,
    "business_line": pl.String,
    "subject_type": pl.String,
    "subject": pl.String,
    "period": pl.String,
    "track": pl.String,
    "account_manager": pl.String,
    "profit_center": pl.String,
    "deal_id": pl.String,
    "route": pl.String,
    "direction": pl.String,
    "figures": pl.String,
    "due_on": pl.Date,
}


@dataclass(frozen=True)
class Alert:
    """A stored alert with its current status (SPEC §5)."""

    alert_id: int
    kind: str
    business_line: str
    subject_type: str
    subject: str
    period: str
    track: str | None
    account_manager: str | None
    profit_center: str | None
    deal_id: str | None
    route: str
    direction: str | None
    figures: dict[str, Any]
    raised_on: date
    due_on: date | None
    status: str
    conclusion: str | None
    escalation_note: str | None
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        """The alert as a JSON object (dates as ISO text)."""
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "business_line": self.business_line,
            "track": self.track,
            "account_manager": self.account_manager,
            "profit_center": self.profit_center,
            "deal_id": self.deal_id,
            "subject_type": self.subject_type,
            "subject": self.subject,
            "period": self.period,
            "route": self.route,
            "direction": self.direction,
            "figures": self.figures,
            "raised_on": self.raised_on.isoformat(),
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "status": self.status,
            "conclusion": self.conclusion,
            "escalation_note": self.escalation_note,
            "overdue": self.overdue,
        }


def evaluate_alerts(
    cur: duckdb.DuckDBPyConnection, as_of: date, settings: Settings
) -> list[AlertCandidate]:
    """Every alert rule of SPEC §5 evaluated over the whole warehouse as of D."""
    period = AsOf(as_of)

    deals = facts.deal_year(cur, period)
    targets = facts.targets(cur, period.year, "integrated", "sales")
    total, tracks = integrated_board(deals, targets, period, settings)
    commodity = facts.commodity(cur, period)

    candidates = version_diff_alerts(facts.version_diffs(cur, period))
    candidates += no_h_potential_alerts(deals, period, settings)
    candidates += low_coverage_alerts(total, tracks, period, settings)
    candidates += sales_shortfall_alerts(facts.track_sales(cur, period))
    candidates += order_shortfall_alerts(commodity, period)
    candidates += low_accuracy_alerts(
        _closed_month_accuracy(cur, period, settings), settings
    )
    return candidates


def run_check(
    warehouse: Warehouse,
    as_of: date,
    settings: Settings,
    user_name: str = OPERATOR.name,
) -> list[Alert]:
    """Evaluate every rule as of D, store alerts never raised before, return them.

    Analysts and admins run the check (and the local operator); it evaluates
    the whole warehouse whoever runs it, so callers show only what the user
    may see (visible_to).
    """
    require(_actor(warehouse, user_name), "run_check")
    with warehouse.cursor() as cur:
        candidates = evaluate_alerts(cur, as_of, settings)

    # Two rules never share a kind, but a rule may meet one subject twice.
    seen: set[tuple[str, str, str, str]] = set()
    unique = []
    for candidate in candidates:
        if candidate.identity not in seen:
            seen.add(candidate.identity)
            unique.append(candidate)
    frame = _candidate_frame(unique, as_of, settings)

    with warehouse.transaction() as cur:
        cur.register("alert_candidates", frame)
        try:
            inserted = cur.execute(
                sql.query("warehouse", "queries/alerts_insert"),
                {"raised_on": as_of, "raised_by": user_name},
            ).fetchall()
        finally:
            cur.unregister("alert_candidates")
        new_ids = [int(alert_id) for (alert_id,) in inserted]

        cur.execute(
            "INSERT INTO alert_events (alert_id, status, user_name)"
            " SELECT unnest(?), 'open', ?",
            [new_ids, user_name],
        )
        raised = _select(cur, today=as_of, alert_ids=new_ids) if new_ids else []
        queue_for_alerts(cur, raised, settings)
        audit.record(
            cur,
            user_name,
            "alert.check",
            as_of.isoformat(),
            {
                "evaluated": len(unique),
                "raised": dict(Counter(a.kind for a in raised)),
                "alert_ids": [new_ids[0], new_ids[-1]] if new_ids else [],
            },
        )

    log.info(
        "check as of %s: %d alerts evaluated, %d raised now",
        as_of,
        len(unique),
        len(raised),
    )
    return raised


def list_alerts(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor = OPERATOR,
    *,
    kind: str | None = None,
    status: str | None = None,
    track: str | None = None,
    today: date | None = None,
) -> list[Alert]:
    """Stored alerts the actor may see, with current status and the overdue flag.

    `status` may be open, handled, escalated or overdue; `today` (default the
    clock's date) decides what is overdue: past due_on and still open.
    """
    return _select(
        cur, actor, kind=kind, status=status, track=track, today=today or date.today()
    )


def visible_to(actor: Actor, alerts: list[Alert]) -> list[Alert]:
    """The alerts an actor may see: own deals' and own tracks' alerts, or all."""
    scope = Scope.of(actor)
    return [
        a
        for a in alerts
        if scope.sees_all
        or (a.track is not None and a.track in scope.tracks)
        or (
            scope.account_manager is not None
            and a.account_manager == scope.account_manager
        )
    ]


def handle_alert(
    warehouse: Warehouse, alert_id: int, conclusion: str, user_name: str | None = None
) -> None:
    """Close an open or escalated alert with the handler's conclusion (audited)."""
    actor = _actor(warehouse, user_name)
    with warehouse.transaction() as cur:
        alert = _get(cur, alert_id)
        _require_may_act(actor, alert, "handle")

        if alert.status == "handled":
            raise WorkflowError(
                f"告警 {alert_id} 已处理，结论为“{alert.conclusion}”，不能再次处理。"
                "如需补充，请在月度复盘中记录。",
                f"Alert {alert_id} was already handled with the conclusion "
                f"'{alert.conclusion}'; it cannot be handled again. Record any "
                "follow-up in the monthly review.",
            )
        if not conclusion.strip():
            raise ForecastError(
                f"处理告警 {alert_id} 需要填写处理结论。请用 --conclusion 写明结论。",
                f"Handling alert {alert_id} needs a conclusion. Give it with "
                "--conclusion.",
            )

        _add_event(cur, alert, "handled", conclusion.strip(), actor)

    log.info("alert %s handled by %s", alert_id, actor.name)


def escalate_alert(
    warehouse: Warehouse,
    alert_id: int,
    note: str,
    user_name: str | None = None,
    settings: Settings | None = None,
) -> None:
    """Escalate an open alert to the CEO with a note (audited, queued for delivery)."""
    actor = _actor(warehouse, user_name)
    with warehouse.transaction() as cur:
        alert = _get(cur, alert_id)
        _require_may_act(actor, alert, "escalate")

        if alert.status != "open":
            raise WorkflowError(
                f"告警 {alert_id} 的状态是“{alert.status}”，"
                "只有未处理的告警可以上升至 CEO。",
                f"Alert {alert_id} is {alert.status}; only an open alert can be "
                "escalated to the CEO.",
            )
        if not note.strip():
            raise ForecastError(
                f"上升告警 {alert_id} 需要说明原因。请用 --note 写明上升原因。",
                f"Escalating alert {alert_id} needs a reason. Give it with --note.",
            )

        _add_event(cur, alert, "escalated", note.strip(), actor)
        escalated = _select(cur, today=alert.raised_on, alert_ids=[alert_id])
        queue_for_alerts(cur, escalated, settings or load_settings())

    log.info("alert %s escalated by %s", alert_id, actor.name)


def _closed_month_accuracy(
    cur: duckdb.DuckDBPyConnection, period: AsOf, settings: Settings
) -> dict[tuple[str, str | None], MonthAccuracy]:
    # Every closed month of Y that has a snapshot, in total and per track.
    labels = facts.closed_snapshot_labels(cur, period)
    if not labels:
        return {}

    rows = facts.accuracy(cur, period.year, labels)
    result: dict[tuple[str, str | None], MonthAccuracy] = {
        (label, None): month
        for (label,), month in month_accuracy(rows, settings, []).items()
    }
    for (label, track), month in month_accuracy(rows, settings, ["track"]).items():
        result[(label, track)] = month
    return result


def _candidate_frame(
    candidates: list[AlertCandidate], raised_on: date, settings: Settings
) -> pl.DataFrame:
    rows = [
        {
            "ordinal": ordinal,
            "kind": c.kind,
            "business_line": c.business_line,
            "subject_type": c.subject_type,
            "subject": c.subject,
            "period": c.period,
            "track": c.track,
            "account_manager": c.account_manager,
            "profit_center": c.profit_center,
            "deal_id": c.deal_id,
            "route": c.route,
            "direction": c.direction,
            "figures": json.dumps(figures_json(c.figures), ensure_ascii=False),
            "due_on": due_on(c.route, raised_on, settings),
        }
        for ordinal, c in enumerate(candidates)
    ]
    return pl.DataFrame(rows, schema=_CANDIDATE_SCHEMA)


def _select(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor = OPERATOR,
    *,
    today: date,
    kind: str | None = None,
    status: str | None = None,
    track: str | None = None,
    alert_ids: list[int] | None = None,
) -> list[Alert]:
    params = {
        "today": today,
        "kind": kind,
        "status": status,
        "track": track,
        "alert_ids": alert_ids,
    } | Scope.of(actor).parameters()
    frame = facts.run(cur, "alerts_list", params)
    return [
        Alert(**(row | {"figures": json.loads(row["figures"])}))
        for row in frame.iter_rows(named=True)
    ]


def _actor(warehouse: Warehouse, user_name: str | None) -> Actor:
    # Resolved on a cursor of its own: a single-row lookup leaves its result
    # open, which would hold the transaction's cursor.
    with warehouse.cursor() as cur:
        return resolve(cur, user_name)


def _get(cur: duckdb.DuckDBPyConnection, alert_id: int) -> Alert:
    # Looked up whole: whether the actor may act on it is _require_may_act's call.
    found = _select(cur, today=date.today(), alert_ids=[alert_id])
    if not found:
        raise NotFound(
            f"没有编号为 {alert_id} 的告警。"
            "请用 forecast alert list 查看可处理的告警。",
            f"There is no alert {alert_id}. See the alerts you can act on with "
            "`forecast alert list`.",
        )
    return found[0]


def _require_may_act(actor: Actor, alert: Alert, action: str) -> None:
    # The director of the alert's track or the CEO (warehouse.access); an
    # alert on the total has no track, so only the CEO acts on it.
    require(
        actor,
        f"{action}_alert",
        track=alert.track,
        subject=(
            f"告警 {alert.alert_id}，{alert.kind}，{alert.track or '全部赛道'}",
            f"alert {alert.alert_id}, {alert.kind}, {alert.track or 'all tracks'}",
        ),
    )


def _add_event(
    cur: duckdb.DuckDBPyConnection, alert: Alert, status: str, note: str, actor: Actor
) -> None:
    cur.execute(
        "INSERT INTO alert_events (alert_id, status, note, user_name)"
        " VALUES (?, ?, ?, ?)",
        [alert.alert_id, status, note, actor.name],
    )
    audit.record(
        cur,
        actor.name,
        f"alert.{'handle' if status == 'handled' else 'escalate'}",
        str(alert.alert_id),
        {"kind": alert.kind, "from": alert.status, "to": status, "note": note},
    )
