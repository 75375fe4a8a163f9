"""Baseline migration (SPEC §6, PDCA steps D4 and C3): an opportunity's baseline
moves to a new opportunity.

The workflow, each step audited and refused (writing nothing) when out of turn:

1. requested by the account manager of the old opportunity: old → new deal,
   the amount of baseline sales moved (default: all of it) and a reason;
2. approved or rejected, once, by a track director whose tracks include the
   old deal's track;
3. executed, once and only after approval, by an admin, due `handling_days`
   after approval (overdue after that while not executed).

The local operator may take any step, as a database administrator would, but
the order of the steps still holds. Mold-development and mass-production deals
are locked on both sides, at every step.

How execution moves an amount X out of the old deal's baseline sales T
(0 < X ≤ T): every (month, mold or product) cell v of the old deal gives up
v · X / T, rounded to the cent, and the cents lost to rounding are settled on
the largest cells so that exactly X moves; the expected order amount moves in
the same proportion. The new deal's new version is its latest version (if any)
plus the moved cells month by month, and its expected order month is its own,
else the old deal's. Both deals get a new baseline version; the old versions
stay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import duckdb

from rules.settings import Settings, load_settings
from warehouse import audit, sql
from warehouse.access import require
from warehouse.baselines import (
    BaselineMonth,
    BaselineVersion,
    append_version,
    baseline_taken,
    latest_version,
    phase_now,
    refuse_if_locked,
)
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound, WorkflowError
from warehouse.users import OPERATOR, Actor, deal_scope, resolve

log = logging.getLogger(__name__)

CENT = Decimal("0.01")

STATUS_NAMES_ZH = {
    "requested": "待审批",
    "approved": "已批准",
    "rejected": "已驳回",
    "executed": "已执行",
}


@dataclass(frozen=True)
class MigrationInfo:
    """One migration request with its decision, execution, due date and status."""

    migration_id: int
    year: int
    from_deal: str
    to_deal: str
    amount: Decimal
    reason: str
    requested_by: str
    requested_at: datetime
    status: str  # requested | approved | rejected | executed
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    executed_by: str | None
    executed_at: datetime | None
    due_on: date | None  # approval day + handling_days; None until approved
    overdue: bool  # approved, not executed, and past due_on

    def as_dict(self) -> dict[str, Any]:
        """The request as JSON-ready values (amount rounded to 2 decimals)."""
        return {
            "migration_id": self.migration_id,
            "year": self.year,
            "from_deal": self.from_deal,
            "to_deal": self.to_deal,
            "amount": float(self.amount.quantize(CENT)),
            "reason": self.reason,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(sep=" "),
            "status": self.status,
            "decided_by": self.decided_by,
            "decided_at": _iso(self.decided_at),
            "decision_note": self.decision_note,
            "executed_by": self.executed_by,
            "executed_at": _iso(self.executed_at),
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "overdue": self.overdue,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(sep=" ") if moment else None


@dataclass(frozen=True)
class Split:
    """An old baseline split into what it keeps and what moves, to the cent."""

    kept: tuple[BaselineMonth, ...]
    moved: tuple[BaselineMonth, ...]
    kept_order: Decimal
    moved_order: Decimal


def split_baseline(
    months: tuple[BaselineMonth, ...], order_amount: Decimal, amount: Decimal
) -> Split:
    """Move `amount` (CNY) out of monthly sales pro rata: cell v gives v · amount / T.

    T is Σ (mold_sales + product_sales) over the months; the cents lost to
    rounding are settled on the largest cells, so Σ moved = amount exactly.
    The expected order amount moves in the same proportion.
    """
    cells = [m.mold_sales for m in months] + [m.product_sales for m in months]
    total = sum(cells, Decimal("0.00"))
    if not Decimal("0") < amount <= total or any(v < 0 for v in cells):
        raise ValueError(f"cannot move {amount} out of a baseline of {total}")

    shares = [(v * amount / total).quantize(CENT, ROUND_HALF_EVEN) for v in cells]
    residue = amount - sum(shares, Decimal("0.00"))
    step = CENT if residue > 0 else -CENT
    largest_first = sorted(range(len(cells)), key=lambda i: cells[i], reverse=True)
    # Each pass settles at least one cent: some cell has room while Σ shares
    # differs from an amount between 0 and T.
    while residue != 0:
        for i in largest_first:
            if residue != 0 and 0 <= shares[i] + step <= cells[i]:
                shares[i] += step
                residue -= step

    n = len(months)
    moved = tuple(
        BaselineMonth(m.month, shares[i], shares[n + i]) for i, m in enumerate(months)
    )
    kept = tuple(
        BaselineMonth(
            m.month, m.mold_sales - shares[i], m.product_sales - shares[n + i]
        )
        for i, m in enumerate(months)
    )
    moved_order = min(
        order_amount, (order_amount * amount / total).quantize(CENT, ROUND_HALF_EVEN)
    )
    return Split(
        kept=_nonzero(kept),
        moved=_nonzero(moved),
        kept_order=order_amount - moved_order,
        moved_order=moved_order,
    )


def _nonzero(months: tuple[BaselineMonth, ...]) -> tuple[BaselineMonth, ...]:
    return tuple(m for m in months if m.mold_sales or m.product_sales)


def _add_months(
    base: tuple[BaselineMonth, ...], extra: tuple[BaselineMonth, ...]
) -> tuple[BaselineMonth, ...]:
    sums: dict[date, tuple[Decimal, Decimal]] = {}
    for m in base + extra:
        mold, product = sums.get(m.month, (Decimal("0.00"), Decimal("0.00")))
        sums[m.month] = (mold + m.mold_sales, product + m.product_sales)
    return tuple(BaselineMonth(k, *sums[k]) for k in sorted(sums))


def request_migration(
    warehouse: Warehouse,
    *,
    year: int,
    from_deal: str,
    to_deal: str,
    amount: Decimal | None,
    reason: str,
    user_name: str,
    today: date | None = None,
) -> int:
    """Ask to move (part of) an opportunity's baseline to a new one; the id."""
    reason = reason.strip()
    if not reason:
        raise ForecastError(
            f"请说明把商机 {from_deal} 的基准迁移到 {to_deal} 的原因（--reason）。",
            f"Give the reason for moving the baseline of deal {from_deal} to "
            f"{to_deal} (--reason).",
        )

    with warehouse.transaction() as cur:
        actor = resolve(cur, user_name)
        old = _deal(cur, from_deal)
        _deal(cur, to_deal)
        require(
            actor,
            "request_migration",
            account_manager=old["account_manager"],
            subject=(f"商机 {from_deal}", f"deal {from_deal}"),
        )

        _check_deals_may_migrate(cur, year, from_deal, to_deal)
        old_baseline = latest_version(cur, year, from_deal)
        assert old_baseline is not None
        amount = _check_amount(amount, old_baseline)

        step_at = _step_time(today)
        migration_id = _next_id(cur)
        cur.execute(
            "INSERT INTO migrations (migration_id, year, from_deal, to_deal, amount,"
            " reason, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                migration_id,
                year,
                from_deal,
                to_deal,
                amount,
                reason,
                actor.name,
                step_at,
            ],
        )
        _write_step(
            cur,
            migration_id,
            "requested",
            actor,
            step_at,
            reason,
            {
                "year": year,
                "from_deal": from_deal,
                "to_deal": to_deal,
                "amount": amount,
            },
        )

    log.info(
        "migration %d requested by %s: %s -> %s, %s of %d",
        migration_id,
        actor.name,
        from_deal,
        to_deal,
        amount,
        year,
    )
    return migration_id


def approve_migration(
    warehouse: Warehouse,
    migration_id: int,
    *,
    user_name: str,
    note: str = "",
    today: date | None = None,
) -> None:
    """Approve a requested migration: a director of the old deal's track, once."""
    _decide(warehouse, migration_id, "approved", user_name, note, today)


def reject_migration(
    warehouse: Warehouse,
    migration_id: int,
    *,
    user_name: str,
    note: str,
    today: date | None = None,
) -> None:
    """Reject a requested migration with a note: a director of the old deal's track."""
    if not note.strip():
        raise ForecastError(
            f"驳回迁移申请 {migration_id} 时请写明理由（--note），以便客户经理跟进。",
            f"Give a note when rejecting migration {migration_id} (--note), so that "
            "the account manager can follow up.",
        )
    _decide(warehouse, migration_id, "rejected", user_name, note, today)


def _decide(
    warehouse: Warehouse,
    migration_id: int,
    decision: str,
    user_name: str,
    note: str,
    today: date | None,
) -> None:
    with warehouse.transaction() as cur:
        actor = resolve(cur, user_name)
        migration = _load(cur, migration_id)
        track = _deal(cur, migration.from_deal)["track"]
        require(
            actor,
            "approve_migration",
            track=track,
            subject=(
                f"迁移申请 {migration_id}，商机 {migration.from_deal}",
                f"migration {migration_id}, deal {migration.from_deal}",
            ),
        )
        if migration.status != "requested":
            raise WorkflowError(
                f"迁移申请 {migration_id} 已由“{migration.decided_by}”"
                f"{STATUS_NAMES_ZH[migration.status]}，每个申请只审批一次；未做任何更改。",
                f"Migration {migration_id} was already {migration.status} by "
                f"'{migration.decided_by}'; a request is decided once, so nothing "
                "was changed.",
            )

        # A deal may have been secured since the request: approval re-checks.
        if decision == "approved":
            _check_deals_may_migrate(
                cur, migration.year, migration.from_deal, migration.to_deal
            )
        step_at = _step_time(today, after=migration.requested_at)
        _write_step(cur, migration_id, decision, actor, step_at, note.strip())

    log.info("migration %d %s by %s", migration_id, decision, actor.name)


def execute_migration(
    warehouse: Warehouse,
    migration_id: int,
    *,
    user_name: str,
    today: date | None = None,
) -> None:
    """Execute an approved migration: admins only, once; new versions for both deals."""
    with warehouse.transaction() as cur:
        actor = resolve(cur, user_name)
        require(
            actor,
            "execute_migration",
            subject=(f"迁移申请 {migration_id}", f"migration {migration_id}"),
        )
        migration = _load(cur, migration_id)
        _check_executable(migration)
        # Limitation: a request approved before one of its deals was secured can
        # then be neither executed nor rejected; it stays approved (and overdue)
        # — bites when a deal is won between approval and execution.
        _check_deals_may_migrate(
            cur, migration.year, migration.from_deal, migration.to_deal
        )
        assert migration.decided_at is not None
        step_at = _step_time(today, after=migration.decided_at)

        old = latest_version(cur, migration.year, migration.from_deal)
        assert old is not None
        _check_amount(migration.amount, old, migration_id)
        new_old, new_new = _new_versions(cur, migration, old, actor, step_at)
        append_version(cur, new_old)
        append_version(cur, new_new)
        _write_step(
            cur,
            migration_id,
            "executed",
            actor,
            step_at,
            "",
            {
                "from_deal": new_old.deal_id,
                "from_version": new_old.version,
                "to_deal": new_new.deal_id,
                "to_version": new_new.version,
                "amount": migration.amount,
            },
        )

    log.info(
        "migration %d executed by %s: %s v%d -> %s v%d",
        migration_id,
        actor.name,
        new_old.deal_id,
        new_old.version,
        new_new.deal_id,
        new_new.version,
    )


def _check_executable(migration: MigrationInfo) -> None:
    mid = migration.migration_id
    if migration.status == "executed":
        raise WorkflowError(
            f"迁移申请 {mid} 已于 {migration.executed_at} 由“{migration.executed_by}”"
            "执行，只能执行一次；未做任何更改。",
            f"Migration {mid} was already executed on {migration.executed_at} by "
            f"'{migration.executed_by}'; it is executed once, so nothing was changed.",
        )
    if migration.status == "rejected":
        raise WorkflowError(
            f"迁移申请 {mid} 已被“{migration.decided_by}”驳回，不能执行；未做任何更改。"
            "如仍需迁移，请客户经理重新提交申请。",
            f"Migration {mid} was rejected by '{migration.decided_by}' and cannot be "
            "executed; nothing was changed. The account manager may ask again.",
        )
    if migration.status != "approved":
        raise WorkflowError(
            f"迁移申请 {mid} 尚未获赛道总监批准，不能执行；未做任何更改。"
            f"请先由赛道总监审批（forecast migrate approve {mid}）。",
            f"Migration {mid} has not been approved by a track director yet and "
            "cannot be executed; nothing was changed. A director must approve it "
            f"first (`forecast migrate approve {mid}`).",
        )


def _new_versions(
    cur: duckdb.DuckDBPyConnection,
    migration: MigrationInfo,
    old: BaselineVersion,
    actor: Actor,
    step_at: datetime,
) -> tuple[BaselineVersion, BaselineVersion]:
    """The next baseline version of the old deal and of the new deal."""
    split = split_baseline(old.months, old.expected_order_amount, migration.amount)
    from_attrs = _deal(cur, migration.from_deal)
    to_attrs = _deal(cur, migration.to_deal)
    previous = latest_version(cur, migration.year, migration.to_deal)

    common: dict[str, Any] = {
        "year": migration.year,
        "effective_phase": "opportunity",
        "locked": False,
        "written_at": step_at,
        "written_by": actor.name,
        "migration_id": migration.migration_id,
    }
    new_old = BaselineVersion(
        deal_id=old.deal_id,
        version=old.version + 1,
        business_line=from_attrs["business_line"],
        track=from_attrs["track"],
        account_manager=from_attrs["account_manager"],
        expected_order_month=old.expected_order_month if split.kept_order else None,
        expected_order_amount=split.kept_order,
        months=split.kept,
        **common,
    )

    own_month = previous.expected_order_month if previous else None
    moved_month = old.expected_order_month if split.moved_order else None
    new_new = BaselineVersion(
        deal_id=migration.to_deal,
        version=previous.version + 1 if previous else 1,
        business_line=to_attrs["business_line"],
        track=to_attrs["track"],
        account_manager=to_attrs["account_manager"],
        expected_order_month=own_month or moved_month,
        expected_order_amount=(
            (previous.expected_order_amount if previous else Decimal("0.00"))
            + split.moved_order
        ),
        months=_add_months(previous.months if previous else (), split.moved),
        **common,
    )
    return new_old, new_new


def _check_deals_may_migrate(
    cur: duckdb.DuckDBPyConnection, year: int, from_deal: str, to_deal: str
) -> None:
    """Refuse a migration that the deals, their phases or the baseline rule out."""
    if from_deal == to_deal:
        raise WorkflowError(
            f"迁移的原商机和新商机都是 {from_deal}：基准只能迁移到另一个机会商机；"
            "未做任何更改。",
            f"The old and the new deal are both {from_deal}: a baseline can only "
            "move to another opportunity, so nothing was changed.",
        )
    if not baseline_taken(cur, year):
        raise WorkflowError(
            f"{year} 年的年度基准尚未生成，无法迁移；未做任何更改。"
            f"请系统管理员先生成基准（forecast baseline --year {year}）。",
            f"There is no {year} baseline yet, so nothing can be migrated and "
            "nothing was changed. An admin must take it first "
            f"(`forecast baseline --year {year}`).",
        )

    refuse_if_locked(cur, year, from_deal)
    refuse_if_locked(cur, year, to_deal)
    for deal_id, side_zh, side_en in (
        (from_deal, "原", "old"),
        (to_deal, "新", "new"),
    ):
        phase = phase_now(cur, deal_id)
        if phase != "opportunity":
            raise WorkflowError(
                f"{side_zh}商机 {deal_id} 当前阶段是 {phase}，不是机会商机；"
                "基准只能从机会商机迁移到机会商机，未做任何更改。",
                f"The {side_en} deal {deal_id} is {phase}, not an opportunity; a "
                "baseline moves only from one opportunity to another, so nothing "
                "was changed.",
            )

    if latest_version(cur, year, from_deal) is None:
        raise WorkflowError(
            f"商机 {from_deal} 在 {year} 年基准中没有记录，没有可迁移的基准；"
            "未做任何更改。",
            f"Deal {from_deal} has no {year} baseline, so there is nothing to "
            "migrate and nothing was changed.",
        )


def _check_amount(
    amount: Decimal | None, old: BaselineVersion, migration_id: int | None = None
) -> Decimal:
    """The amount to move (default: the whole baseline); refuse 0 or too much."""
    total = old.sales
    moved = total if amount is None else Decimal(amount).quantize(CENT)
    if Decimal("0") < moved <= total:
        return moved

    what_zh = f"迁移申请 {migration_id} 的" if migration_id else ""
    what_en = f"migration {migration_id}" if migration_id else "the request"
    raise WorkflowError(
        f"{what_zh}迁移金额 {moved} 无效：须大于 0 且不超过商机 {old.deal_id} "
        f"当前基准销售额 {total}（第 {old.version} 版）；未做任何更改。",
        f"The amount {moved} of {what_en} is not valid: it must be above 0 and at "
        f"most the current baseline sales of deal {old.deal_id}, {total} (version "
        f"{old.version}); nothing was changed.",
    )


def _deal(cur: duckdb.DuckDBPyConnection, deal_id: str) -> dict[str, Any]:
    row = cur.execute(
        "SELECT business_line, track, account_manager FROM deals WHERE deal_id = ?",
        [deal_id],
    ).fetchone()
    if row is None:
        raise NotFound(
            f"商机 {deal_id} 不存在；未做任何更改。请检查商机编号，或先加载 CRM 商机。",
            f"There is no deal {deal_id}; nothing was changed. Check the deal id, "
            "or load the CRM deals first.",
        )
    return {"business_line": row[0], "track": row[1], "account_manager": row[2]}


def _next_id(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT nextval('migration_id_seq')").fetchone()
    assert row is not None
    return int(row[0])


def _step_time(today: date | None, after: datetime | None = None) -> datetime:
    """Business time of a step: now, or `today` at the present time of day."""
    now = datetime.now()
    step_at = now if today is None else datetime.combine(today, now.time())
    if after is not None and step_at.date() < after.date():
        raise WorkflowError(
            f"这一步的日期 {step_at.date()} 早于上一步的日期 {after.date()}；"
            "未做任何更改。请使用不早于上一步的日期。",
            f"This step is dated {step_at.date()}, before the previous step "
            f"({after.date()}); nothing was changed. Use a date on or after it.",
        )
    return step_at


def _write_step(
    cur: duckdb.DuckDBPyConnection,
    migration_id: int,
    step: str,
    actor: Actor,
    step_at: datetime,
    note: str,
    detail: dict[str, Any] | None = None,
) -> None:
    cur.execute(
        "INSERT INTO migration_steps (migration_id, step, user_name, step_at, note,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        [migration_id, step, actor.name, step_at, note, datetime.now()],
    )
    action = {
        "requested": "migration.request",
        "approved": "migration.approve",
        "rejected": "migration.reject",
        "executed": "migration.execute",
    }[step]
    audit.record(
        cur,
        actor.name,
        action,
        str(migration_id),
        {"step_at": step_at.isoformat(sep=" "), "note": note, **(detail or {})},
    )


def _load(cur: duckdb.DuckDBPyConnection, migration_id: int) -> MigrationInfo:
    found = _query(cur, OPERATOR, migration_id=migration_id, today=date.today())
    if not found:
        raise NotFound(
            f"迁移申请 {migration_id} 不存在；未做任何更改。"
            "请用 forecast migrate list 查看现有申请。",
            f"There is no migration {migration_id}; nothing was changed. See the "
            "requests with `forecast migrate list`.",
        )
    return found[0]


def list_migrations(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor = OPERATOR,
    *,
    today: date | None = None,
    settings: Settings | None = None,
) -> list[MigrationInfo]:
    """Every migration the actor may see, with status, due_on and overdue at today."""
    return _query(cur, actor, today=today or date.today(), settings=settings)


def _query(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    today: date,
    migration_id: int | None = None,
    settings: Settings | None = None,
) -> list[MigrationInfo]:
    handling_days = (settings or load_settings()).handling_days
    sees_all, tracks, account_manager = deal_scope(actor)
    rows = cur.execute(
        sql.query("warehouse", "queries/migration_list"),
        {
            "migration_id": migration_id,
            "sees_all": sees_all,
            "tracks": tracks,
            "account_manager": account_manager,
        },
    ).fetchall()

    found = []
    for row in rows:
        decision, decided_at, executed_by = row[8], row[10], row[12]
        status = "executed" if executed_by else decision or "requested"
        due_on = None
        if decision == "approved":
            due_on = decided_at.date() + timedelta(days=handling_days)
        found.append(
            MigrationInfo(
                migration_id=row[0],
                year=row[1],
                from_deal=row[2],
                to_deal=row[3],
                amount=row[4],
                reason=row[5],
                requested_by=row[6],
                requested_at=row[7],
                status=status,
                decided_by=row[9],
                decided_at=decided_at,
                decision_note=row[11],
                executed_by=executed_by,
                executed_at=row[13],
                due_on=due_on,
                overdue=status == "approved" and due_on is not None and today > due_on,
            )
        )
    return found
