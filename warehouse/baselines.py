"""Annual baselines (SPEC §6): the year-start commitment per deal, versioned.

`take_baseline` writes version 1 for every deal not lost at the as-of date:

- expected order: from the deal's current forecast at as_of, the first month
  of the year with a positive order amount, and the order amount of that month
  (no such month: no expected order month, amount 0 — e.g. a mass-production
  deal whose order was won in an earlier year);
- monthly sales for the year: mold_sales and product_sales of that forecast,
  per month (sales = mold + product);
- the effective phase at as_of; mold_development and mass_production deals are
  locked.

A baseline is never rewritten: a migration adds version n+1 (`append_version`),
and a deal that is locked — at baseline time, or because it is now in mold
development or mass production — refuses every change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import duckdb
import polars as pl

from warehouse import audit, sql
from warehouse.access import require
from warehouse.connection import Warehouse
from warehouse.errors import LockedHistory
from warehouse.users import OPERATOR, Actor, deal_scope, resolve

log = logging.getLogger(__name__)

LOCKED_PHASES = ("mold_development", "mass_production")

PHASE_NAMES_ZH = {
    "opportunity": "机会",
    "mold_development": "模具开发",
    "mass_production": "量产",
    "lost": "已丢失",
}


@dataclass(frozen=True)
class BaselineInfo:
    """The record of one annual baseline: when, by whom, how many deals."""

    year: int
    as_of: date
    taken_at: datetime
    taken_by: str
    deal_count: int
    locked_count: int


@dataclass(frozen=True)
class BaselineMonth:
    """Baseline sales of one month: mold and product, in CNY."""

    month: date
    mold_sales: Decimal
    product_sales: Decimal

    @property
    def sales(self) -> Decimal:
        """Sales of the month: mold_sales + product_sales, CNY."""
        return self.mold_sales + self.product_sales


@dataclass(frozen=True)
class BaselineVersion:
    """One version of one deal's baseline for a year, with its monthly sales."""

    year: int
    deal_id: str
    version: int
    business_line: str
    track: str
    account_manager: str
    effective_phase: str
    locked: bool
    expected_order_month: date | None
    expected_order_amount: Decimal
    written_at: datetime
    written_by: str
    migration_id: int | None
    months: tuple[BaselineMonth, ...]

    @property
    def sales(self) -> Decimal:
        """Baseline sales for the year: Σ (mold_sales + product_sales), CNY."""
        return sum((m.sales for m in self.months), Decimal("0.00"))


def take_baseline(
    warehouse: Warehouse,
    year: int,
    *,
    as_of: date | None = None,
    user_name: str = "operator",
) -> BaselineInfo:
    """Write version 1 of the year's baseline for every deal not lost, once."""
    as_of = as_of or date.today()
    taken_at = datetime.now()
    # Business time of version 1: the end of the as-of day, when every fact
    # dated on or before as_of is in.
    written_at = datetime.combine(as_of, time(23, 59, 59))

    with warehouse.transaction() as cur:
        actor = resolve(cur, user_name)
        require(actor, "take_baseline", subject=(f"{year} 年", str(year)))
        _refuse_existing(cur, year)

        params = {
            "year": year,
            "as_of": as_of,
            "written_at": written_at,
            "written_by": actor.name,
        }
        cur.execute(sql.query("warehouse", "queries/baseline_versions_insert"), params)
        cur.execute(
            sql.query("warehouse", "queries/baseline_months_insert"),
            {"year": year, "as_of": as_of},
        )
        counts = cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE locked)"
            " FROM baseline_versions WHERE year = ?",
            [year],
        ).fetchone()
        assert counts is not None
        deal_count, locked_count = int(counts[0]), int(counts[1])

        cur.execute(
            "INSERT INTO baselines (year, as_of, taken_at, taken_by, deal_count)"
            " VALUES (?, ?, ?, ?, ?)",
            [year, as_of, taken_at, actor.name, deal_count],
        )
        audit.record(
            cur,
            actor.name,
            "baseline.take",
            str(year),
            {
                "as_of": as_of.isoformat(),
                "deal_count": deal_count,
                "locked_count": locked_count,
            },
        )

    log.info(
        "baseline %d taken as of %s by %s: %d deals, %d locked",
        year,
        as_of,
        actor.name,
        deal_count,
        locked_count,
    )
    return BaselineInfo(year, as_of, taken_at, actor.name, deal_count, locked_count)


def _refuse_existing(cur: duckdb.DuckDBPyConnection, year: int) -> None:
    existing = cur.execute(
        "SELECT as_of, taken_by FROM baselines WHERE year = ?", [year]
    ).fetchone()
    if existing is None:
        return

    raise LockedHistory(
        f"{year} 年的年度基准已由“{existing[1]}”生成（截至 {existing[0]}），"
        "每年只生成一次，"
        "不能重做；未做任何更改。如需调整某个机会的基准，请走目标迁移流程"
        "（forecast migrate request）。",
        f"The {year} baseline was already taken (as of {existing[0]}, by "
        f"'{existing[1]}'); a year's baseline is taken once and never redone, so "
        "nothing was changed. To move an opportunity's baseline, use the migration "
        "workflow (`forecast migrate request`).",
    )


def baseline_taken(cur: duckdb.DuckDBPyConnection, year: int) -> bool:
    """Whether the year's baseline has been taken."""
    row = cur.execute("SELECT 1 FROM baselines WHERE year = ?", [year]).fetchone()
    return row is not None


def current_baseline(
    cur: duckdb.DuckDBPyConnection, year: int, actor: Actor = OPERATOR
) -> pl.DataFrame:
    """The latest baseline version of each deal the actor may see, one row per deal.

    Columns: year, deal_id, deal_name, version, business_line, track,
    account_manager, effective_phase, locked, expected_order_month,
    expected_order_amount, mold_sales, product_sales, sales (Σ of the year, CNY,
    Decimal(18, 2)), written_at, written_by, migration_id.
    """
    sees_all, tracks, account_manager = deal_scope(actor)

    # A relation refuses to run while an execute() result is unread (a
    # fetchone() leaves one); finish it, as the next execute() would anyway.
    cur.complete()
    return cur.sql(
        sql.query("warehouse", "queries/baseline_current"),
        params={
            "year": year,
            "sees_all": sees_all,
            "tracks": tracks,
            "account_manager": account_manager,
        },
    ).pl()


def baseline_history(
    cur: duckdb.DuckDBPyConnection, deal_id: str
) -> list[BaselineVersion]:
    """Every baseline version of a deal, by year then version, with its months."""
    rows = cur.execute(
        "SELECT year, deal_id, version, business_line, track, account_manager,"
        " effective_phase, locked, expected_order_month, expected_order_amount,"
        " written_at, written_by, migration_id"
        " FROM baseline_versions WHERE deal_id = ? ORDER BY year, version",
        [deal_id],
    ).fetchall()
    months = cur.execute(
        "SELECT year, version, month, mold_sales, product_sales"
        " FROM baseline_months WHERE deal_id = ? ORDER BY year, version, month",
        [deal_id],
    ).fetchall()

    by_version: dict[tuple[int, int], list[BaselineMonth]] = {}
    for year, version, month, mold_sales, product_sales in months:
        by_version.setdefault((year, version), []).append(
            BaselineMonth(month, mold_sales, product_sales)
        )
    return [
        BaselineVersion(
            year=row[0],
            deal_id=row[1],
            version=row[2],
            business_line=row[3],
            track=row[4],
            account_manager=row[5],
            effective_phase=row[6],
            locked=row[7],
            expected_order_month=row[8],
            expected_order_amount=row[9],
            written_at=row[10],
            written_by=row[11],
            migration_id=row[12],
            months=tuple(by_version.get((row[0], row[2]), ())),
        )
        for row in rows
    ]


def latest_version(
    cur: duckdb.DuckDBPyConnection, year: int, deal_id: str
) -> BaselineVersion | None:
    """The deal's latest baseline version for the year, or None if it has none."""
    versions = [v for v in baseline_history(cur, deal_id) if v.year == year]
    return versions[-1] if versions else None


def phase_now(cur: duckdb.DuckDBPyConnection, deal_id: str) -> str | None:
    """The deal's effective phase from its latest loaded attributes (None: unknown)."""
    row = cur.execute(
        "SELECT effective_phase(phase, stage) FROM deals WHERE deal_id = ?", [deal_id]
    ).fetchone()
    return None if row is None else str(row[0])


def refuse_if_locked(cur: duckdb.DuckDBPyConnection, year: int, deal_id: str) -> None:
    """Refuse any change to a baseline locked at baseline time or by the phase now."""
    current = latest_version(cur, year, deal_id)
    now = phase_now(cur, deal_id)
    if current is not None and current.locked:
        phase = current.effective_phase
        when_zh, when_en = "生成基准时", "when the baseline was taken"
    elif now in LOCKED_PHASES:
        phase = str(now)
        when_zh, when_en = "当前", "now"
    else:
        return

    raise LockedHistory(
        f"商机 {deal_id} {when_zh}处于{PHASE_NAMES_ZH[phase]}阶段，"
        f"其 {year} 年基准已锁定，"
        "任何修改都被拒绝；未做任何更改。模具开发和量产商机的基准不允许修改，"
        "只有机会商机的基准可以迁移。",
        f"Deal {deal_id} is in {phase} {when_en}, so its {year} baseline is locked "
        "and every change is refused; nothing was changed. Baselines of "
        "mold_development and mass_production deals never change; only an "
        "opportunity's baseline may be migrated.",
    )


def append_version(cur: duckdb.DuckDBPyConnection, version: BaselineVersion) -> None:
    """Write a new baseline version inside the caller's transaction; never a rewrite.

    The version number must follow the deal's latest one for the year, and a
    locked deal refuses the change.
    """
    refuse_if_locked(cur, version.year, version.deal_id)
    current = latest_version(cur, version.year, version.deal_id)
    expected = 1 if current is None else current.version + 1
    if version.version != expected:
        raise ValueError(
            f"baseline version {version.version} of {version.deal_id} does not "
            f"follow the latest one ({expected - 1})"
        )

    cur.execute(
        "INSERT INTO baseline_versions (year, deal_id, version, business_line, track,"
        " account_manager, effective_phase, locked, expected_order_month,"
        " expected_order_amount, written_at, written_by, migration_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version.year,
            version.deal_id,
            version.version,
            version.business_line,
            version.track,
            version.account_manager,
            version.effective_phase,
            version.locked,
            version.expected_order_month,
            version.expected_order_amount,
            version.written_at,
            version.written_by,
            version.migration_id,
        ],
    )
    for month in version.months:
        cur.execute(
            "INSERT INTO baseline_months (year, deal_id, version, month, mold_sales,"
            " product_sales) VALUES (?, ?, ?, ?, ?, ?)",
            [
                version.year,
                version.deal_id,
                version.version,
                month.month,
                month.mold_sales,
                month.product_sales,
            ],
        )
