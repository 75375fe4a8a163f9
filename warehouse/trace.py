"""The year-end trace of a deal (SPEC §6): its whole history in time order.

Events and the time each is placed at:

- every forecast submission (rolling or precision, revision n) at its
  submitted_at, with its totals;
- every snapshot the deal appears in, at the end of the snapshot's as-of day
  (when every fact it froze was in), with the deal's phase and the totals of
  its frozen forecasts there;
- every migration step touching the deal, at the step's business time;
- every baseline version: version 1 at the end of the baseline's as-of day, a
  migration's version at its execution.

Ties keep that order: forecast, snapshot, migration step, baseline version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import duckdb

from warehouse import sql
from warehouse.baselines import PHASE_NAMES_ZH, baseline_history
from warehouse.errors import NotFound, PermissionDenied
from warehouse.users import OPERATOR, Actor, sees_deal

_KIND_ORDER = {"forecast": 0, "snapshot": 1, "migration": 2, "baseline": 3}

_VERSION_ZH = {"rolling": "滚动预测", "precision": "精度版预测"}
_STEP_ZH = {
    "requested": "申请",
    "approved": "批准",
    "rejected": "驳回",
    "executed": "执行",
}


@dataclass(frozen=True)
class TraceEvent:
    """One event in a deal's history, described in both languages."""

    at: datetime
    kind: str  # forecast | snapshot | migration | baseline
    summary_zh: str
    summary_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        """The event's one-line summary in the user's language."""
        return self.summary_en if lang == "en" else self.summary_zh

    def as_dict(self) -> dict[str, Any]:
        """The event as JSON-ready values (amounts rounded to 2 decimals)."""
        return {
            "at": self.at.isoformat(sep=" "),
            "kind": self.kind,
            **{key: _json_value(value) for key, value in self.detail.items()},
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _wan(amount: Decimal) -> str:
    """An amount in 万元 (ten thousand CNY) with separators, for display."""
    return f"{amount / 10000:,.2f}"


def _cny(amount: Decimal) -> str:
    """An amount in CNY with separators, for the English display."""
    return f"CNY {amount:,.2f}"


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def deal_trace(
    cur: duckdb.DuckDBPyConnection, deal_id: str, actor: Actor = OPERATOR
) -> list[TraceEvent]:
    """Every forecast revision, snapshot, migration step and baseline version of a
    deal, in time order."""
    _check_visible(cur, deal_id, actor)

    events = (
        _forecast_events(cur, deal_id)
        + _snapshot_events(cur, deal_id)
        + _migration_events(cur, deal_id)
        + _baseline_events(cur, deal_id)
    )
    return sorted(events, key=lambda e: (e.at, _KIND_ORDER[e.kind]))


def _check_visible(cur: duckdb.DuckDBPyConnection, deal_id: str, actor: Actor) -> None:
    # The deal's latest loaded attributes, else the latest frozen ones. UNION
    # ALL keeps no order by itself, hence the explicit source rank; fetchall
    # so that no streamed result is left holding the cursor after a refusal.
    rows = cur.execute(
        "SELECT track, account_manager FROM ("
        " SELECT 1 AS source, track, account_manager FROM deals WHERE deal_id = $d"
        " UNION ALL (SELECT 2, track, account_manager FROM snapshot_deals"
        "  WHERE deal_id = $d ORDER BY label DESC LIMIT 1)"
        " UNION ALL (SELECT 3, track, account_manager FROM baseline_versions"
        "  WHERE deal_id = $d ORDER BY year DESC, version DESC LIMIT 1)"
        ") ORDER BY source LIMIT 1",
        {"d": deal_id},
    ).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise NotFound(
            f"商机 {deal_id} 不存在，也没有任何历史记录。请检查商机编号。",
            f"There is no deal {deal_id} and no history of it. Check the deal id.",
        )
    if not sees_deal(actor, row[0], row[1]):
        raise PermissionDenied(
            f"用户“{actor.name}”无权查看商机 {deal_id}（赛道 {row[0]}，客户经理 "
            f"{row[1]}）的历史。请由该商机的客户经理、赛道总监或管理层查看。",
            f"User '{actor.name}' may not see the history of deal {deal_id} (track "
            f"{row[0]}, account manager {row[1]}). Its account manager, track "
            "director or management can.",
        )


def _forecast_events(cur: duckdb.DuckDBPyConnection, deal_id: str) -> list[TraceEvent]:
    rows = cur.execute(
        sql.query("warehouse", "queries/trace_forecasts"), {"deal_id": deal_id}
    ).fetchall()
    events = []
    for version, revision, submitted_at, months, order, sets, mold, product in rows:
        version = str(version)
        sales = mold + product
        events.append(
            TraceEvent(
                at=submitted_at,
                kind="forecast",
                summary_zh=(
                    f"{_VERSION_ZH[version]}第 {revision} 次提交（{months} 个月）："
                    f"接单 {_wan(order)} 万元，模具 {sets} 套，"
                    f"销售 {_wan(sales)} 万元"
                    f"（模具 {_wan(mold)}，产品 {_wan(product)}）"
                ),
                summary_en=(
                    f"{version} forecast, revision {revision} ({months} months): "
                    f"orders {_cny(order)}, {sets} mold sets, sales "
                    f"{_cny(sales)} (mold {_cny(mold)}, product {_cny(product)})"
                ),
                detail={
                    "version": version,
                    "revision": revision,
                    "submitted_at": submitted_at,
                    "months": months,
                    "order_amount": order,
                    "mold_sets": sets,
                    "mold_sales": mold,
                    "product_sales": product,
                    "sales": sales,
                },
            )
        )
    return events


def _snapshot_events(cur: duckdb.DuckDBPyConnection, deal_id: str) -> list[TraceEvent]:
    rows = cur.execute(
        sql.query("warehouse", "queries/trace_snapshots"), {"deal_id": deal_id}
    ).fetchall()
    events = []
    for (
        label,
        as_of,
        phase,
        stage,
        rolling_order,
        rolling_sales,
        precision_order,
        precision_sales,
        has_precision,
    ) in rows:
        precision_zh = (
            f"，精度版接单 {_wan(precision_order)} 万元、"
            f"销售 {_wan(precision_sales)} 万元"
            if has_precision
            else ""
        )
        precision_en = (
            f"; precision orders {_cny(precision_order)}, sales {_cny(precision_sales)}"
            if has_precision
            else ""
        )
        events.append(
            TraceEvent(
                at=_end_of(as_of),
                kind="snapshot",
                summary_zh=(
                    f"快照 {label}（截至 {as_of}）："
                    f"{PHASE_NAMES_ZH.get(phase, phase)}，"
                    f"{stage}；滚动预测接单 {_wan(rolling_order)} 万元、"
                    f"销售 {_wan(rolling_sales)} 万元{precision_zh}"
                ),
                summary_en=(
                    f"snapshot {label} (as of {as_of}): {phase}, {stage}; rolling "
                    f"orders {_cny(rolling_order)}, sales {_cny(rolling_sales)}"
                    f"{precision_en}"
                ),
                detail={
                    "label": label,
                    "as_of": as_of,
                    "effective_phase": phase,
                    "stage": stage,
                    "rolling_order_amount": rolling_order,
                    "rolling_sales": rolling_sales,
                    "precision_order_amount": precision_order
                    if has_precision
                    else None,
                    "precision_sales": precision_sales if has_precision else None,
                },
            )
        )
    return events


def _migration_events(cur: duckdb.DuckDBPyConnection, deal_id: str) -> list[TraceEvent]:
    rows = cur.execute(
        sql.query("warehouse", "queries/trace_migrations"), {"deal_id": deal_id}
    ).fetchall()
    events = []
    for (
        mid,
        year,
        from_deal,
        to_deal,
        amount,
        reason,
        step,
        user,
        step_at,
        note,
    ) in rows:
        side = "from" if from_deal == deal_id else "to"
        note_zh = f"：{note}" if note else ""
        note_en = f": {note}" if note else ""
        events.append(
            TraceEvent(
                at=step_at,
                kind="migration",
                summary_zh=(
                    f"目标迁移 {mid}（{year} 年，{from_deal} → {to_deal}，"
                    f"{_wan(amount)} 万元）由“{user}”{_STEP_ZH[step]}{note_zh}"
                ),
                summary_en=(
                    f"migration {mid} ({year}, {from_deal} -> {to_deal}, "
                    f"{_cny(amount)}) {step} by '{user}'{note_en}"
                ),
                detail={
                    "migration_id": mid,
                    "year": year,
                    "side": side,
                    "from_deal": from_deal,
                    "to_deal": to_deal,
                    "amount": amount,
                    "reason": reason,
                    "step": step,
                    "user_name": user,
                    "note": note,
                },
            )
        )
    return events


def _baseline_events(cur: duckdb.DuckDBPyConnection, deal_id: str) -> list[TraceEvent]:
    events = []
    for v in baseline_history(cur, deal_id):
        origin_zh = f"目标迁移 {v.migration_id} 写入" if v.migration_id else "年初基准"
        origin_en = (
            f"written by migration {v.migration_id}"
            if v.migration_id
            else ("year-start baseline")
        )
        lock_zh = "，已锁定" if v.locked else ""
        lock_en = ", locked" if v.locked else ""
        month = (
            v.expected_order_month.strftime("%Y-%m") if v.expected_order_month else "—"
        )
        events.append(
            TraceEvent(
                at=v.written_at,
                kind="baseline",
                summary_zh=(
                    f"{v.year} 年基准第 {v.version} 版（{origin_zh}{lock_zh}）："
                    f"{PHASE_NAMES_ZH.get(v.effective_phase, v.effective_phase)}，"
                    f"预计接单 {month} {_wan(v.expected_order_amount)} 万元，"
                    f"全年销售 {_wan(v.sales)} 万元"
                ),
                summary_en=(
                    f"{v.year} baseline version {v.version} ({origin_en}{lock_en}): "
                    f"{v.effective_phase}, expected order {month} "
                    f"{_cny(v.expected_order_amount)}, sales for the year "
                    f"{_cny(v.sales)}"
                ),
                detail={
                    "year": v.year,
                    "version": v.version,
                    "effective_phase": v.effective_phase,
                    "locked": v.locked,
                    "expected_order_month": v.expected_order_month,
                    "expected_order_amount": v.expected_order_amount,
                    "sales": v.sales,
                    "months": {m.month.strftime("%Y-%m"): m.sales for m in v.months},
                    "migration_id": v.migration_id,
                    "written_by": v.written_by,
                },
            )
        )
    return events
