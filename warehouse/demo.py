"""The sample warehouse: the year 2026 replayed month by month from sample_data/.

The files in sample_data/2026/ are what the group's systems sent during the
year (see sample_data/generate.py and docs/sample.md). Replaying them in order
lets every monthly snapshot freeze what that month really looked like:

    targets.xlsx, wip_plan.csv                 the year's targets and WIP plan
    MM/05/{deals,forecasts,quotes}             the CRM pull on the 5th
        → snapshot 2026-MM as of 2026-MM-05   (after the monthly revisions)
        → in January: baseline 2026 as of 2026-01-10
    MM/DD/{deals,forecasts,quotes}             the CRM pull at month end
    MM/wip_plan.csv, MM/orders.csv, MM/shipments.csv
"""

from __future__ import annotations

import csv
import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loaders import load_file
from rules.settings import load_settings
from warehouse import audit
from warehouse.alerts import Alert, escalate_alert, handle_alert, run_check
from warehouse.baselines import take_baseline
from warehouse.connection import Warehouse
from warehouse.errors import NotFound, WorkflowError
from warehouse.sign_in import DEMO_PASSWORD, hash_password
from warehouse.snapshots import take_snapshot
from warehouse.users import add_user, resolve

log = logging.getLogger(__name__)

SAMPLE_YEAR = 2026
SAMPLE_AS_OF = date(2026, 11, 27)
BASELINE_AS_OF = date(2026, 1, 10)

# Limitation: the sample is found beside the source tree (an editable install,
# as the README sets up) — a wheel install would not carry sample_data/.
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data" / str(SAMPLE_YEAR)

# Within one CRM pull, deals first: forecasts and quotes must name known deals.
CRM_FILES = (
    ("deals", "deals.csv"),
    ("forecasts", "forecasts.csv"),
    ("quotes", "quotes.xlsx"),
)
MONTH_FILES = (
    ("wip_plan", "wip_plan.csv"),
    ("orders", "orders.csv"),
    ("shipments", "shipments.csv"),
)


@dataclass(frozen=True)
class SampleSummary:
    """What build_sample put into the warehouse."""

    files_loaded: int
    deals: int
    snapshots: int
    users: int
    seconds: float


def build_sample(
    warehouse: Warehouse,
    *,
    user_name: str = "operator",
    source: Path = SAMPLE_DIR,
) -> SampleSummary:
    """Build the sample year into an empty warehouse, replaying it month by month."""
    started = time.perf_counter()
    _refuse_unless_empty(warehouse)
    if not (source / "targets.xlsx").is_file():
        raise NotFound(
            f"找不到示例数据目录 {source}。请在源代码目录中以可编辑方式安装"
            "（pip install -e .），或先运行 python sample_data/generate.py "
            "生成示例数据。",
            f"The sample data folder {source} is missing. Install from the source "
            "tree in editable mode (pip install -e .), or generate it first with "
            "`python sample_data/generate.py`.",
        )

    # Limitation: every load, snapshot and user is its own transaction, as in
    # real use — a build stopped part-way leaves a partial sample that a second
    # run refuses; delete the file and run again.
    users = _add_users(warehouse, source / "users.csv", user_name)
    loaded = _load(warehouse, "targets", source / "targets.xlsx", source, user_name)
    loaded += _load(warehouse, "wip_plan", source / "wip_plan.csv", source, user_name)

    snapshots = 0
    for month_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        month = int(month_dir.name)
        pulls = sorted(p for p in month_dir.iterdir() if p.is_dir())
        for number, pull in enumerate(pulls):
            for kind, name in CRM_FILES:
                loaded += _load(warehouse, kind, pull / name, source, user_name)

            if number == 0:
                as_of = date(SAMPLE_YEAR, month, int(pull.name))
                take_snapshot(
                    warehouse,
                    f"{SAMPLE_YEAR}-{month:02d}",
                    as_of=as_of,
                    user_name=user_name,
                )
                snapshots += 1
            if number == 0 and month == 1:
                take_baseline(
                    warehouse, SAMPLE_YEAR, as_of=BASELINE_AS_OF, user_name=user_name
                )

        for kind, name in MONTH_FILES:
            loaded += _load(warehouse, kind, month_dir / name, source, user_name)

        check_day = date(SAMPLE_YEAR, month, int(pulls[-1].name))
        _check_and_follow_up(warehouse, check_day, user_name)

    deals = _mark_sample(warehouse, user_name, loaded, snapshots)
    seconds = time.perf_counter() - started
    log.info(
        "sample warehouse built in %.1f s: %d files, %d deals, %d snapshots",
        seconds,
        loaded,
        deals,
        snapshots,
    )
    return SampleSummary(loaded, deals, snapshots, users, seconds)


def _check_and_follow_up(warehouse: Warehouse, as_of: date, user_name: str) -> None:
    """Run the month-end alert check, then let directors work the alerts.

    The boards should show a process in motion: most director-routed alerts of
    past months handled with a conclusion, a few escalated to the CEO, a few
    left open past their due date. The choice is fixed by alert id so the
    sample stays deterministic. The last month's alerts stay open: they were
    raised on the sample's as-of date.
    """
    raised = run_check(warehouse, as_of, load_settings(), user_name=user_name)
    if as_of >= SAMPLE_AS_OF:
        return

    directors = _directors_by_track(warehouse)
    for alert in raised:
        director = directors.get(alert.track or "")
        if alert.route != "track_director" or director is None:
            continue
        if alert.alert_id % 9 == 4:
            continue
        if alert.alert_id % 9 == 7:
            escalate_alert(warehouse, alert.alert_id, _ESCALATION, user_name=director)
        else:
            handle_alert(
                warehouse, alert.alert_id, _conclusion(alert), user_name=director
            )


_ESCALATION = "客户端预算冻结，需 CEO 出面与客户高层沟通。"


def _conclusion(alert: Alert) -> str:
    """A director's conclusion of the kind the process asks for (D1)."""
    by_kind = {
        "version_diff": "已与客户经理核对报价，精度版依据充分，按精度版跟进。",
        "no_h_potential_by_25th": "已督促客户经理本周内推进报价至 H Potential。",
        "sales_shortfall": "出货延期至下月，已与项目部确认排产。",
        "order_shortfall": "客户下单推迟，已安排替代机会补足缺口。",
    }
    return by_kind.get(alert.kind, "已核查并安排跟进。")


def _directors_by_track(warehouse: Warehouse) -> dict[str, str]:
    with warehouse.cursor() as cur:
        rows = cur.execute(
            "SELECT track, min(name) FROM ("
            " SELECT unnest(tracks) AS track, name FROM users"
            " WHERE role = 'track_director') GROUP BY track"
        ).fetchall()
    return {track: name for track, name in rows}


def _refuse_unless_empty(warehouse: Warehouse) -> None:
    with warehouse.cursor() as cur:
        row = cur.execute("SELECT count(*) FROM deals").fetchone()
    held = int(row[0]) if row else 0
    if held:
        raise WorkflowError(
            f"仓库 {warehouse.path} 已有 {held} 个商机，示例数据只能生成到空仓库中，"
            "未做任何更改。请用 --db 指定一个新文件，例如 forecast --db "
            "sample.duckdb demo。",
            f"The warehouse {warehouse.path} already holds {held} deals; the sample "
            "is only built into an empty warehouse, and nothing was changed. Name a "
            "new file with --db, for example `forecast --db sample.duckdb demo`.",
        )


def _load(
    warehouse: Warehouse, kind: str, path: Path, source: Path, user_name: str
) -> int:
    """Load one sample file if the sample has it that month; 1 if loaded."""
    if not path.is_file():
        return 0
    name = f"sample/{path.relative_to(source.parent).as_posix()}"
    load_file(warehouse, kind, path, user_name=user_name, file_name=name)
    return 1


def _add_users(warehouse: Warehouse, path: Path, user_name: str) -> int:
    """The sample's users: a CEO, an admin, an analyst, directors and managers.

    Each signs in to the dashboard with the demo password (docs/access.md);
    they share one hash, because hashing is slow on purpose.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with warehouse.cursor() as cur:
        acting = resolve(cur, user_name)
    demo_hash = hash_password(DEMO_PASSWORD)
    for row in rows:
        add_user(
            warehouse,
            row["name"],
            row["role"],
            tracks=tuple(t for t in row["tracks"].split(",") if t),
            account_manager=row["account_manager"] or None,
            password_hash=demo_hash,
            acting=acting,
        )
    return len(rows)


def _mark_sample(
    warehouse: Warehouse, user_name: str, files: int, snapshots: int
) -> int:
    """Record in warehouse_info that this is the sample, and its as-of date."""
    with warehouse.transaction() as cur:
        cur.execute(
            "INSERT OR REPLACE INTO warehouse_info (key, value) VALUES (?, ?), (?, ?)",
            ["sample", "true", "sample_as_of", SAMPLE_AS_OF.isoformat()],
        )
        row = cur.execute("SELECT count(*) FROM deals").fetchone()
        deals = int(row[0]) if row else 0
        audit.record(
            cur,
            user_name,
            "sample.build",
            str(SAMPLE_YEAR),
            {"files": files, "deals": deals, "snapshots": snapshots},
        )
    return deals
