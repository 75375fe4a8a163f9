"""Monthly snapshots (SPEC §6): taken once, never replaced, chained by SHA-256.

A snapshot labelled 'YYYY-MM' freezes every deal's attributes and its current
rolling and precision submissions. Its content hash is computed in SQL over a
canonical text of its rows; the chain hash links it to the snapshot before it
in label order:

    chain_sha256 = sha256(previous chain_sha256 || content_sha256)

with an empty previous chain for the first snapshot. `verify_chain` recomputes
both from the stored rows and names the first snapshot that no longer matches.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse import audit, sql
from warehouse.access import require
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, LockedHistory, WorkflowError
from warehouse.users import resolve

log = logging.getLogger(__name__)

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class SnapshotInfo:
    """The record of one snapshot: what it froze, when, by whom, and its hashes."""

    label: str
    month: date
    as_of: date
    taken_at: datetime
    taken_by: str
    deal_count: int
    forecast_rows: int
    content_sha256: str
    previous_chain_sha256: str | None
    chain_sha256: str


@dataclass(frozen=True)
class BrokenSnapshot:
    """One snapshot that failed verification, with the reason in both languages."""

    label: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of recomputing every snapshot hash and the chain."""

    checked: int
    broken: tuple[BrokenSnapshot, ...]

    @property
    def ok(self) -> bool:
        """True when every snapshot's content and chain still match."""
        return not self.broken

    @property
    def first_broken(self) -> str | None:
        """The label of the first snapshot (in label order) that fails, if any."""
        return self.broken[0].label if self.broken else None

    @property
    def reason(self) -> str | None:
        """Why the first broken snapshot fails, in English."""
        return self.broken[0].reason_en if self.broken else None

    def text(self, lang: str = "zh") -> str:
        """A one-line verdict in the user's language."""
        if self.ok:
            if lang == "en":
                return f"All {self.checked} snapshots verified."
            return f"全部 {self.checked} 个快照校验通过。"

        first = self.broken[0]
        if lang == "en":
            return (
                f"Snapshot {first.label} is broken: {first.reason_en} "
                f"{len(self.broken)} of {self.checked} snapshots fail from there on; "
                "restore the warehouse file from a backup and report it."
            )
        return (
            f"快照 {first.label} 已损坏：{first.reason_zh}"
            f"共 {self.checked} 个快照中有 {len(self.broken)} 个自此校验失败；"
            "请从备份恢复数据仓库文件并上报。"
        )


def parse_label(label: str) -> date:
    """The first day of the month a 'YYYY-MM' snapshot label names."""
    match = _LABEL.match(label.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ForecastError(
            f"快照月份“{label}”无效。请写成 YYYY-MM，例如 2026-03。",
            f"The snapshot month '{label}' is not valid. Write it as YYYY-MM, "
            "for example 2026-03.",
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def chain_hash(previous_chain: str | None, content_sha256: str) -> str:
    """sha256(previous chain || content), hex; the first snapshot has no previous."""
    text = (previous_chain or "") + content_sha256
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def take_snapshot(
    warehouse: Warehouse,
    month: str,
    *,
    as_of: date | None = None,
    user_name: str = "operator",
) -> SnapshotInfo:
    """Freeze every deal and its current forecasts as snapshot `month`, once."""
    label = month.strip()
    month_start = parse_label(label)
    as_of = as_of or date.today()
    taken_at = datetime.now()

    with warehouse.transaction() as cur:
        actor = resolve(cur, user_name)
        require(actor, "take_snapshot", subject=(label, label))
        previous_chain = _check_label_is_next(cur, label)

        cur.execute(
            sql.query("warehouse", "queries/snapshot_deals_insert"), {"label": label}
        )
        cur.execute(
            sql.query("warehouse", "queries/snapshot_forecasts_insert"),
            {"label": label, "as_of": as_of},
        )
        deal_count = _count(cur, "snapshot_deals", label)
        forecast_rows = _count(cur, "snapshot_forecasts", label)

        header: dict[str, Any] = {
            "label": label,
            "month": month_start,
            "as_of": as_of,
            "taken_at": taken_at,
            "taken_by": actor.name,
            "deal_count": deal_count,
            "forecast_rows": forecast_rows,
        }
        content = _content_hash(cur, header)
        chain = chain_hash(previous_chain, content)
        cur.execute(
            "INSERT INTO snapshots (label, month, as_of, taken_at, taken_by,"
            " deal_count, forecast_rows, content_sha256, previous_chain_sha256,"
            " chain_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                label,
                month_start,
                as_of,
                taken_at,
                actor.name,
                deal_count,
                forecast_rows,
                content,
                previous_chain,
                chain,
            ],
        )

        audit.record(
            cur,
            actor.name,
            "snapshot.take",
            label,
            {
                "as_of": as_of.isoformat(),
                "deal_count": deal_count,
                "forecast_rows": forecast_rows,
                "content_sha256": content,
                "chain_sha256": chain,
            },
        )

    log.info(
        "snapshot %s taken as of %s by %s: %d deals, %d forecast rows",
        label,
        as_of,
        actor.name,
        deal_count,
        forecast_rows,
    )
    return SnapshotInfo(
        label=label,
        month=month_start,
        as_of=as_of,
        taken_at=taken_at,
        taken_by=actor.name,
        deal_count=deal_count,
        forecast_rows=forecast_rows,
        content_sha256=content,
        previous_chain_sha256=previous_chain,
        chain_sha256=chain,
    )


def _check_label_is_next(cur: duckdb.DuckDBPyConnection, label: str) -> str | None:
    """Refuse an existing or an earlier label; return the chain it extends."""
    existing = cur.execute(
        "SELECT as_of, taken_by FROM snapshots WHERE label = ?", [label]
    ).fetchone()
    if existing is not None:
        raise LockedHistory(
            f"{label} 的快照已由“{existing[1]}”生成（截至 {existing[0]}），"
            "快照只生成一次，"
            "不能替换或删除；未做任何更改。如需当前数据，请查看看板。",
            f"The snapshot {label} was already taken (as of {existing[0]}, by "
            f"'{existing[1]}'); a snapshot is taken once and is never replaced or "
            "deleted, so nothing was changed. Look at the board for current figures.",
        )

    latest = cur.execute(
        "SELECT label, chain_sha256 FROM snapshots ORDER BY label DESC LIMIT 1"
    ).fetchone()
    if latest is not None and latest[0] > label:
        # The chain runs in label order and a later link already exists:
        # inserting an earlier month would break every link after it.
        raise WorkflowError(
            f"已有更晚月份 {latest[0]} 的快照，不能再补生成更早的 {label} 快照；"
            f"未做任何更改。快照须按月份顺序生成，请生成 {latest[0]} 之后的月份。",
            f"A snapshot of the later month {latest[0]} already exists, so {label} "
            "cannot be taken after it; nothing was changed. Snapshots are taken in "
            f"month order: take a month after {latest[0]}.",
        )
    return None if latest is None else str(latest[1])


def _count(cur: duckdb.DuckDBPyConnection, table: str, label: str) -> int:
    row = cur.execute(
        f"SELECT count(*) FROM {sql.quote_ident(table)} WHERE label = ?", [label]
    ).fetchone()
    return int(row[0]) if row else 0


def _content_hash(cur: duckdb.DuckDBPyConnection, header: dict[str, Any]) -> str:
    row = cur.execute(
        sql.query("warehouse", "queries/snapshot_content"), header
    ).fetchone()
    assert row is not None
    return str(row[0])


def list_snapshots(cur: duckdb.DuckDBPyConnection) -> list[SnapshotInfo]:
    """Every snapshot record, in label order."""
    rows = cur.execute(
        "SELECT label, month, as_of, taken_at, taken_by, deal_count, forecast_rows,"
        " content_sha256, previous_chain_sha256, chain_sha256"
        " FROM snapshots ORDER BY label"
    ).fetchall()
    return [SnapshotInfo(*row) for row in rows]


def verify_chain(cur: duckdb.DuckDBPyConnection) -> VerifyResult:
    """Recompute every snapshot's content hash and the chain, in label order."""
    labels = cur.execute(sql.query("warehouse", "queries/snapshot_labels")).fetchall()
    broken: list[BrokenSnapshot] = []
    expected_previous: str | None = None

    # One query per snapshot keeps one snapshot's text in memory at a time.
    # Limitation: about 1.5 s per 500,000-row snapshot on this class of machine,
    # so verify takes minutes at ten years of monthly snapshots — run it as an
    # audit step, not on every page view.
    for row in labels:
        label = row[0]
        if row[1] is None:
            broken.append(_broken_missing_record(label))
            continue

        info = SnapshotInfo(*row)
        content = _content_hash(cur, _header_of(info))
        chain = chain_hash(expected_previous, content)
        if content != info.content_sha256:
            broken.append(_broken_content(label))
        elif info.previous_chain_sha256 != expected_previous:
            broken.append(_broken_link(label, expected_previous is None))
        elif chain != info.chain_sha256:
            broken.append(_broken_chain(label))
        expected_previous = chain

    result = VerifyResult(checked=len(labels), broken=tuple(broken))
    if result.ok:
        log.info("all %d snapshots verified", result.checked)
    else:
        log.warning(
            "snapshot chain broken at %s: %s", result.first_broken, result.reason
        )
    return result


def _header_of(info: SnapshotInfo) -> dict[str, Any]:
    return {
        "label": info.label,
        "month": info.month,
        "as_of": info.as_of,
        "taken_at": info.taken_at,
        "taken_by": info.taken_by,
        "deal_count": info.deal_count,
        "forecast_rows": info.forecast_rows,
    }


def _broken_content(label: str) -> BrokenSnapshot:
    return BrokenSnapshot(
        label,
        "其内容与记录的 SHA-256 不符：有行被修改、增加或删除，或记录的哈希被改动。",
        "its content no longer matches its recorded SHA-256: a row was changed, "
        "added or removed, or the recorded hash was altered.",
    )


def _broken_link(label: str, first: bool) -> BrokenSnapshot:
    if first:
        return BrokenSnapshot(
            label,
            "它记录了前一个快照，但前一个快照已不存在：有快照被删除。",
            "it records a previous snapshot that no longer exists: a snapshot "
            "was deleted.",
        )
    return BrokenSnapshot(
        label,
        "它与前一个快照的链接不符：前一个快照被修改或删除。",
        "its link to the snapshot before it does not match: that snapshot was "
        "changed or removed.",
    )


def _broken_chain(label: str) -> BrokenSnapshot:
    return BrokenSnapshot(
        label,
        "其链式哈希与重新计算的结果不符：记录的链式哈希被改动。",
        "its chain hash does not match the recomputed one: the recorded chain "
        "hash was altered.",
    )


def _broken_missing_record(label: str) -> BrokenSnapshot:
    return BrokenSnapshot(
        label,
        "仍有该月的冻结数据，但快照记录本身已被删除。",
        "its frozen rows are still there but the snapshot record itself was deleted.",
    )
