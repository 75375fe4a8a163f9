"""The alert outbox (SPEC §5): who is told about an alert, and in what words.

Raising an alert queues one message per recipient and channel; delivery
(handoffs.delivery) sends them later and records every attempt. Queueing is
idempotent: each message carries a stable key, sha256 of (alert id, purpose,
channel, recipient), and a message with a key already queued is not queued
again. A batch of alerts is queued set-wise: the users are read once, and every
new message is inserted by one statement. Recipients are stored by identity (a
user name, the PDCA mailbox, a track's group chat) and resolved to an address
only when sending, so that an address added or corrected later reaches the
messages still waiting.

Routing:
- raised, route track_director: e-mail to every track director of the
  alert's track;
- raised, route business_analysis_pdca: e-mail to the PDCA mailbox;
- escalated: e-mail to every CEO;
- any alert of a track whose group-chat webhook is configured: that chat too.
A message that finds no director or CEO goes to the PDCA mailbox instead, so
that no alert goes untold.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

import duckdb
import polars as pl

from rules.settings import Settings
from warehouse import sql
from warehouse.users import OPERATOR, Actor, deal_scope

log = logging.getLogger(__name__)

PDCA_MAILBOX = "pdca"

KIND_NAMES = {
    "version_diff": ("双版本差异", "version difference"),
    "no_h_potential_by_25th": (
        "25号前未见 H Potential 报价",
        "no H Potential by the 25th",
    ),
    "low_coverage": ("机会池覆盖率不足", "low coverage"),
    "sales_shortfall": ("销售目标偏差", "sales shortfall"),
    "order_shortfall": ("接单目标偏差", "order shortfall"),
    "low_accuracy": ("预测准确率偏低", "low forecast accuracy"),
}

ROUTE_NAMES = {
    "track_director": "赛道总监",
    "business_analysis_pdca": "经营分析PDCA",
}

BUSINESS_LINE_NAMES = {"integrated": "模塑一体", "commodity": "商品模"}

# Figure names the rules use, in the words of the process; others show as-is.
FIGURE_NAMES = {
    "target": "目标",
    "actual": "实际",
    "actual_sales": "实际销售",
    "actual_orders": "实际接单",
    "sales_target": "销售目标",
    "order_target": "接单目标",
    "shortfall": "差额",
    "gap": "剩余缺口",
    "pipeline": "机会金额",
    "weighted_pipeline": "加权机会金额",
    "coverage": "机会覆盖率",
    "coverage_threshold": "覆盖率阈值",
    "accuracy": "预测准确率",
    "weighted": "三阶段加权预测准确率",
    "opportunity": "机会阶段准确率",
    "mold_development": "模具开发阶段准确率",
    "mass_production": "量产阶段准确率",
    "threshold": "阈值",
    "accuracy_threshold": "准确率阈值",
    "direction": "方向",
    "rolling_sales": "滚动版销售合计",
    "precision_sales": "精度版销售合计",
    "rolling_orders": "滚动版接单合计",
    "precision_orders": "精度版接单合计",
    "order_amount": "本月预计接单金额",
    "order_month": "预计接单月份",
    "attainment": "达成率",
    "month": "月份",
    "mp_expected": "量产预计收入",
    "mold_expected": "模具开发预计收入",
    "precision_submitted_at": "精度版提交时间",
    "rolling_submitted_at": "对比的滚动版提交时间",
    "months_changed": "有差异的月份",
    "stage": "商机阶段",
    "opportunity_bias": "机会阶段偏差",
    "mold_development_bias": "模具开发阶段偏差",
    "mass_production_bias": "量产阶段偏差",
}

DIRECTION_NAMES = {
    "shortfall": "缺口（精度版更低）",
    "upside": "超预期",
    "reshaped": "分布调整",
}

# Figures that are shares (shown in %) or multiples (shown in 倍); the rest of
# the numbers are amounts in CNY, or counts when they are integers.
_RATIO_FIGURES = {
    "accuracy",
    "accuracy_threshold",
    "weighted",
    "opportunity",
    "mold_development",
    "mass_production",
    "bias",
    "attainment",
}
_RATIO_SUFFIXES = ("_accuracy", "_attainment", "_attainment_ytd", "_bias", "_ratio")
_MULTIPLE_FIGURES = {"coverage", "coverage_threshold"}
_COUNT_FIGURES = {"deals", "count"}


class AlertLike(Protocol):
    """What the outbox reads of an alert (warehouse.alerts.Alert has these)."""

    @property
    def alert_id(self) -> Any: ...
    @property
    def kind(self) -> str: ...
    @property
    def business_line(self) -> str: ...
    @property
    def track(self) -> str | None: ...
    @property
    def account_manager(self) -> str | None: ...
    @property
    def profit_center(self) -> str | None: ...
    @property
    def deal_id(self) -> str | None: ...
    @property
    def period(self) -> str: ...
    @property
    def route(self) -> str: ...
    @property
    def figures(self) -> Mapping[str, Any]: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to, by identity; the address is looked up when sending."""

    channel: str  # email | webhook
    kind: str  # user | mailbox | webhook
    name: str  # user name | "pdca" | track


def idempotency_key(alert_id: object, purpose: str, recipient: Recipient) -> str:
    """sha256 of (alert id, purpose, channel, recipient): one message, one key."""
    text = "\x1f".join(
        [str(alert_id), purpose, recipient.channel, recipient.kind, recipient.name]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def queue_for_alerts(
    cur: duckdb.DuckDBPyConnection,
    alerts: Iterable[AlertLike],
    settings: Settings,
    *,
    now: datetime | None = None,
) -> list[int]:
    """Queue the messages of these alerts in the caller's transaction; return new ids.

    Every alert gets its "raised" messages; an escalated one also its messages to
    the CEO. Messages already queued (same idempotency key) are left as they are.
    """
    events = [
        (alert, purpose)
        for alert in alerts
        for purpose in (
            ("raised", "escalated") if alert.status == "escalated" else ("raised",)
        )
    ]

    new_ids = _queue(cur, events, settings, now or datetime.now())
    if new_ids:
        log.info("queued %d alert messages", len(new_ids))
    return new_ids


def queue_missing(
    cur: duckdb.DuckDBPyConnection,
    alerts: Iterable[AlertLike],
    settings: Settings,
    *,
    now: datetime | None = None,
) -> list[int]:
    """Queue messages for stored alerts that have none yet; return the new ids.

    An alert still open (or overdue, or escalated) without any "raised" message
    gets them now, and an escalated one without any "escalated" message gets
    those, so that nothing is lost when the check did not queue. Handled alerts
    without messages are not announced after the fact.
    """
    have = {
        (str(alert_id), purpose)
        for alert_id, purpose in cur.execute(
            "SELECT DISTINCT alert_id, purpose FROM outbox_messages"
        ).fetchall()
    }
    events: list[tuple[AlertLike, str]] = []
    for alert in alerts:
        if alert.status != "handled" and (str(alert.alert_id), "raised") not in have:
            events.append((alert, "raised"))
        if (
            alert.status == "escalated"
            and (str(alert.alert_id), "escalated") not in have
        ):
            events.append((alert, "escalated"))

    new_ids = _queue(cur, events, settings, now or datetime.now())
    if new_ids:
        log.info("queued %d messages for alerts that had none", len(new_ids))
    return new_ids


@dataclass(frozen=True)
class Directory:
    """The users alerts are routed to: track directors by track, and the CEOs."""

    directors: Mapping[str, tuple[str, ...]]  # track -> director names, by name
    ceos: tuple[str, ...]  # by name


def load_directory(cur: duckdb.DuckDBPyConnection) -> Directory:
    """Every track director, by track, and every CEO, read in one query over users."""
    rows = cur.execute(
        "SELECT name, role, tracks FROM users"
        " WHERE role IN ('track_director', 'ceo') ORDER BY name"
    ).fetchall()

    directors: dict[str, list[str]] = {}
    ceos: list[str] = []
    for name, role, tracks in rows:
        if role == "ceo":
            ceos.append(name)
            continue
        # dict.fromkeys: a track listed twice still names its director once.
        for track in dict.fromkeys(tracks or []):
            directors.setdefault(track, []).append(name)
    return Directory(
        {track: tuple(names) for track, names in directors.items()}, tuple(ceos)
    )


def recipients(
    cur: duckdb.DuckDBPyConnection,
    alert: AlertLike,
    purpose: str,
    settings: Settings,
) -> list[Recipient]:
    """The recipients of one alert event, by the routing of the module docstring."""
    found, missing = _route(alert, purpose, load_directory(cur), settings)
    _warn_unrouted([(alert, purpose)] if missing else [])
    return found


def _route(
    alert: AlertLike, purpose: str, directory: Directory, settings: Settings
) -> tuple[list[Recipient], bool]:
    """The recipients of one alert event, and whether it lacked its director or CEO."""
    if purpose == "escalated":
        people = directory.ceos
    elif alert.route == "business_analysis_pdca":
        people = ()
    elif alert.track:
        people = directory.directors.get(alert.track, ())
    else:
        people = ()

    found = [Recipient("email", "user", name) for name in people]
    missing = False
    if not found:
        # A PDCA-routed alert is meant for the mailbox: nobody is missing then.
        missing = purpose == "escalated" or alert.route != "business_analysis_pdca"
        found.append(Recipient("email", "mailbox", PDCA_MAILBOX))

    if alert.track and alert.track in settings.delivery.webhooks:
        found.append(Recipient("webhook", "webhook", alert.track))
    return found, missing


def _warn_unrouted(events: list[tuple[AlertLike, str]]) -> None:
    """One warning per missing role for the alert events sent to the mailbox."""
    for purpose, role in (("raised", "track director"), ("escalated", "CEO")):
        alerts = [alert for alert, event in events if event == purpose]
        if not alerts:
            continue

        tracks = sorted({alert.track or "-" for alert in alerts})
        shown = ", ".join(str(alert.alert_id) for alert in alerts[:5])
        log.warning(
            "%d %s alerts (%s%s) of tracks [%s] have no %s to tell; they were sent "
            "to the PDCA mailbox instead. Add the user with `forecast user add`.",
            len(alerts),
            purpose,
            shown,
            ", …" if len(alerts) > 5 else "",
            ", ".join(tracks),
            role,
        )


# The rows of the registered frame the batch insert reads, in queueing order.
_BATCH_SCHEMA = {
    "ordinal": pl.Int64,
    "idempotency_key": pl.String,
    "alert_id": pl.String,
    "purpose": pl.String,
    "channel": pl.String,
    "recipient_kind": pl.String,
    "recipient": pl.String,
    "kind": pl.String,
    "track": pl.String,
    "account_manager": pl.String,
    "subject": pl.String,
    "body": pl.String,
}


def _queue(
    cur: duckdb.DuckDBPyConnection,
    events: list[tuple[AlertLike, str]],
    settings: Settings,
    queued_at: datetime,
) -> list[int]:
    """Queue every message of these (alert, purpose) events with one INSERT."""
    if not events:
        return []
    directory = load_directory(cur)

    # Keyed by idempotency key, first wins: an event given twice queues once, as
    # one insert per message after another would have it.
    rows: dict[str, tuple[object, ...]] = {}
    unrouted: list[tuple[AlertLike, str]] = []
    for alert, purpose in events:
        found, missing = _route(alert, purpose, directory, settings)
        if missing:
            unrouted.append((alert, purpose))

        subject, body = message_text(alert, purpose)
        for recipient in found:
            key = idempotency_key(alert.alert_id, purpose, recipient)
            if key not in rows:
                rows[key] = (
                    len(rows),
                    key,
                    str(alert.alert_id),
                    purpose,
                    recipient.channel,
                    recipient.kind,
                    recipient.name,
                    alert.kind,
                    alert.track,
                    alert.account_manager,
                    subject,
                    body,
                )
    _warn_unrouted(unrouted)

    frame = pl.DataFrame(list(rows.values()), schema=_BATCH_SCHEMA, orient="row")
    cur.register("outbox_batch", frame)
    try:
        # fetchall: a DuckDB 2.0 result holds the cursor until read to the end.
        inserted = cur.execute(
            sql.query("handoffs", "outbox_insert_batch"), {"queued_at": queued_at}
        ).fetchall()
    finally:
        cur.unregister("outbox_batch")
    return sorted(int(message_id) for (message_id,) in inserted)


def message_text(alert: AlertLike, purpose: str) -> tuple[str, str]:
    """The Chinese subject and body of a message about an alert, with its figures."""
    kind_zh = KIND_NAMES.get(alert.kind, (alert.kind, alert.kind))[0]
    subject_zh = _subject_of(alert)
    tag = "【告警上升 CEO】" if purpose == "escalated" else "【销售预测告警】"
    subject = f"{tag}{kind_zh}｜{subject_zh}｜{alert.period}"

    line_zh = BUSINESS_LINE_NAMES.get(alert.business_line, alert.business_line)
    lines = [
        f"告警类型：{kind_zh}（{alert.kind}）",
        f"业务类型：{line_zh}",
        f"对象：{subject_zh}",
    ]
    if alert.track:
        lines.append(f"赛道：{alert.track}")
    if alert.account_manager:
        lines.append(f"客户经理：{alert.account_manager}")
    if alert.profit_center:
        lines.append(f"利润中心：{alert.profit_center}")
    lines.append(f"期间：{alert.period}")
    lines.append(f"路由：{ROUTE_NAMES.get(alert.route, alert.route)}")
    if alert.due_on:
        lines.append(f"处理期限：{alert.due_on}")

    figures = [
        f"  {FIGURE_NAMES.get(key, key)}：{figure_text(key, value)}"
        for key, value in (alert.figures or {}).items()
    ]
    if figures:
        lines.append("触发数据：")
        lines.extend(figures)

    lines.append("")
    if purpose == "escalated":
        lines.append("赛道总监已将此告警上升至 CEO，请在销售预测系统中查看并决策。")
    elif alert.route == "business_analysis_pdca":
        lines.append("请经营分析按 PDCA 流程分析原因并跟进改进措施。")
    else:
        lines.append("请在处理期限前于销售预测系统中录入处理结论，或上升至 CEO。")
    lines.append(f"告警编号：{alert.alert_id}")
    return subject, "\n".join(lines)


def _subject_of(alert: AlertLike) -> str:
    if alert.deal_id:
        return f"商机 {alert.deal_id}"
    if (
        alert.kind == "order_shortfall"
        and alert.profit_center
        and not (alert.account_manager)
    ):
        return f"利润中心 {alert.profit_center}"
    if alert.account_manager:
        return f"客户经理 {alert.account_manager}"
    if alert.track:
        return f"赛道 {alert.track}"
    return "全部赛道合计"


def figure_text(key: str, value: Any) -> str:
    """One alert figure as Chinese text: amounts in 元, ratios in %, multiples in 倍."""
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("是" if value else "否")
    if isinstance(value, str):
        return DIRECTION_NAMES.get(value, value) if key == "direction" else value
    if isinstance(value, Mapping):
        return "；".join(f"{k} {figure_text(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(figure_text(key, v) for v in value)
    if not isinstance(value, int | float | Decimal):
        return str(value)

    number = Decimal(str(value))
    if key in _MULTIPLE_FIGURES:
        return f"{number.quantize(Decimal('0.01'), ROUND_HALF_UP)} 倍"
    if key in _RATIO_FIGURES or key.endswith(_RATIO_SUFFIXES):
        return f"{(number * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if "sets" in key or key in _COUNT_FIGURES:
        return f"{number:,}"
    return f"{number.quantize(Decimal('0.01'), ROUND_HALF_UP):,} 元"


def list_outbox(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: Actor = OPERATOR,
    status: str | None = None,
) -> pl.DataFrame:
    """Every outbox message the actor may see, with its derived delivery status.

    Columns: message_id, alert_id, purpose, kind, channel, recipient_kind,
    recipient, track, account_manager, subject, body, idempotency_key,
    queued_at, attempts, status (queued | retrying | delivered), delivered_at,
    last_attempt_at, last_error, next_attempt_at.
    """
    sees_all, tracks, account_manager = deal_scope(actor)
    return cur.sql(
        sql.query("handoffs", "outbox_status"),
        params={
            "sees_all": sees_all,
            "tracks": tracks,
            "account_manager": account_manager,
            "status": status,
            "due_at": None,
        },
    ).pl()
