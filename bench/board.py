"""Benchmark the board at SPEC §9 scale against a straightforward pandas board.

    /tmp/venv/bin/python bench/board.py [--rebuild] [--runs 5]

Builds (once, cached in bench/out/board.duckdb) a warehouse of ten years,
10,000 deals a year, monthly rolling revisions (≈ 21 M forecast rows), some
precision versions, shipments, orders, targets and a snapshot per month, all
generated in DuckDB from bench/board_data.sql. Then, in one process, it times
build_board and run_check for as-of 2026-11-27 (the cold first run, then the
median of --runs after a warm-up) and a pandas implementation of the same
board that reads the tables with DuckDB `.df()` and computes in pandas, and
prints the times and ratios. Times are in-process (no Python start-up) except
the one line that runs the `forecast board` console script as a new process.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rules.settings import Settings
from warehouse import Warehouse, schema
from warehouse.alerts import run_check
from warehouse.board import build_board

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DATA_SQL = HERE / "board_data.sql"
AS_OF = date(2026, 11, 27)


def build_warehouse(path: Path, *, rebuild: bool = False) -> None:
    """Generate the bench warehouse unless a file from the same script is cached."""
    text = DATA_SQL.read_text("utf-8")
    # A new schema upgrade (a faster macro, say) must reach the cached file too.
    shipped = "".join(sql for _, _, sql in schema.upgrades())
    digest = hashlib.sha256((text + shipped).encode("utf-8")).hexdigest()
    if path.exists() and not rebuild and _cached_digest(path) == digest:
        return

    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with Warehouse(path) as wh:
        con = wh.connect()
        for statement in schema.split_statements(text):
            con.execute(statement)
        con.execute(
            "INSERT INTO warehouse_info VALUES ('bench_data_sha256', ?)", [digest]
        )
    print(f"built {path} in {time.perf_counter() - started:.0f} s")


def _cached_digest(path: Path) -> str | None:
    with Warehouse(path) as wh, wh.cursor() as cur:
        rows = cur.execute(
            "SELECT value FROM warehouse_info WHERE key = 'bench_data_sha256'"
        ).fetchall()
    return rows[0][0] if rows else None


def timed(run: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """(first run, median wall and median CPU seconds of `runs` after a warm-up run,
    last result). CPU time counts every thread of the process, so it shows the
    work done whatever else the shared machine is running."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started

    run()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return first, statistics.median(wall), statistics.median(cpu), result


def pandas_board(wh: Warehouse, as_of: date, settings: Settings) -> dict[str, Any]:
    """The board's integrated and commodity figures, computed in pandas."""
    y, m0 = as_of.year, as_of.month
    year_start, m0_start = pd.Timestamp(y, 1, 1), pd.Timestamp(y, m0, 1)
    year_end = pd.Timestamp(y + 1, 1, 1)
    day_after = pd.Timestamp(as_of + timedelta(days=1))

    with wh.cursor() as cur:
        deals = cur.sql(
            "SELECT deal_id, business_line::VARCHAR AS business_line, track,"
            " phase::VARCHAR AS phase, stage::VARCHAR AS stage, secured_on, project_id"
            " FROM deals"
        ).df()
        forecasts = cur.sql(
            "SELECT deal_id, version::VARCHAR AS version, submitted_at, month,"
            " order_amount, mold_sales, product_sales FROM forecasts"
            " WHERE submitted_at < $d",
            params={"d": day_after.to_pydatetime()},
        ).df()
        shipments = cur.sql(
            "SELECT month, deal_id, project_id, kind::VARCHAR AS kind, amount,"
            " plan_or_actual::VARCHAR AS plan_or_actual FROM shipments"
        ).df()
        targets = cur.sql(
            "SELECT year, business_line::VARCHAR AS business_line,"
            " metric::VARCHAR AS metric, month, track, account_manager, profit_center,"
            " amount FROM targets"
        ).df()
        orders = cur.sql(
            "SELECT order_date, business_line::VARCHAR AS business_line,"
            " account_manager, profit_center, deal_id, net_value FROM orders"
        ).df()
        labels = cur.sql("SELECT label FROM snapshots").df()
        closed = [f"{y}-{m:02d}" for m in range(1, m0)]
        taken = sorted(set(labels["label"]) & set(closed))
        label = taken[-1] if taken else None
        snapshot_deals = cur.sql(
            "SELECT deal_id, business_line::VARCHAR AS business_line, track,"
            " effective_phase FROM snapshot_deals WHERE label = $l",
            params={"l": label},
        ).df()
        snapshot_forecasts = cur.sql(
            "SELECT deal_id, version::VARCHAR AS version, month, order_amount,"
            " mold_sales, product_sales FROM snapshot_forecasts WHERE label = $l",
            params={"l": label},
        ).df()

    # Effective phase and the deals of the integrated business.
    deals["effective_phase"] = np.select(
        [
            deals["stage"] == "Lost",
            deals["phase"] == "mass_production",
            (deals["phase"] == "mold_development") | (deals["stage"] == "Secured"),
        ],
        ["lost", "mass_production", "mold_development"],
        "opportunity",
    )

    # Current forecast: latest precision submission, else latest rolling.
    latest = forecasts.groupby(["deal_id", "version"])["submitted_at"].transform("max")
    forecasts = forecasts[forecasts["submitted_at"] == latest]
    with_precision = set(forecasts.loc[forecasts["version"] == "precision", "deal_id"])
    current = forecasts[
        (forecasts["version"] == "precision")
        | ~forecasts["deal_id"].isin(with_precision)
    ]
    current = current[(current["month"] >= year_start) & (current["month"] < year_end)]
    open_months = current[current["month"] >= m0_start]
    open_sales = (
        (open_months["mold_sales"] + open_months["product_sales"])
        .groupby(open_months["deal_id"])
        .sum()
    )

    # Actual shipments of the closed months, by deal or through the project.
    actual = shipments[
        (shipments["plan_or_actual"] == "actual")
        & (shipments["month"] >= year_start)
        & (shipments["month"] < m0_start)
    ].copy()
    known = set(deals["deal_id"])
    by_project = (
        deals[deals["project_id"].fillna("") != ""]
        .groupby("project_id")["deal_id"]
        .min()
    )
    actual["matched"] = np.where(
        actual["deal_id"].isin(known),
        actual["deal_id"],
        actual["project_id"].map(by_project),
    )
    closed_sales = actual.groupby("matched")["amount"].sum()

    frame = deals[(deals["business_line"] == "integrated")].set_index("deal_id")
    frame = frame[frame["effective_phase"] != "lost"]
    frame["open_sales"] = open_sales.reindex(frame.index).fillna(0)
    frame["expected"] = frame["open_sales"] + closed_sales.reindex(frame.index).fillna(
        0
    )
    weights = {k: float(v) for k, v in settings.stage_weights.items()}
    frame["weighted"] = np.where(
        frame["effective_phase"] == "opportunity",
        frame["open_sales"] * frame["stage"].map(weights).fillna(0),
        0.0,
    )
    secured = pd.to_datetime(frame["secured_on"])
    frame["converted"] = np.where(
        (secured >= m0_start) & (secured <= pd.Timestamp(as_of)), frame["expected"], 0.0
    )

    sales_targets = targets[
        (targets["year"] == y)
        & (targets["business_line"] == "integrated")
        & (targets["metric"] == "sales")
    ]

    def metrics(rows: pd.DataFrame, target: float) -> dict[str, Any]:
        mp = rows.loc[rows["effective_phase"] == "mass_production", "expected"].sum()
        mold = rows.loc[rows["effective_phase"] == "mold_development", "expected"].sum()
        gap = target - mp - mold
        weighted = rows["weighted"].sum()
        return {
            "target": target,
            "mp_expected": mp,
            "mold_expected": mold,
            "gap": gap,
            "pipeline": rows.loc[
                rows["effective_phase"] == "opportunity", "open_sales"
            ].sum(),
            "weighted_pipeline": weighted,
            "coverage": weighted / gap if gap > 0 else None,
            "monthly_pace": max(gap, 0) / (13 - m0),
            "converted_this_month": rows["converted"].sum(),
        }

    track_targets = sales_targets.groupby("track")["amount"].sum()
    integrated = {
        "total": metrics(frame, sales_targets["amount"].sum()),
        "tracks": {
            track: metrics(
                frame[frame["track"] == track], track_targets.get(track, 0.0)
            )
            for track in sorted(set(frame["track"]) | set(track_targets.index) - {""})
        },
    }

    # Weighted accuracy of the latest closed month with a snapshot (total only).
    if label is not None:
        month = pd.Timestamp(f"{label}-01")
        chosen = snapshot_forecasts.groupby("deal_id")["version"].transform(
            lambda v: "precision" if (v == "precision").any() else "rolling"
        )
        frozen = snapshot_forecasts[
            (snapshot_forecasts["version"] == chosen)
            & (snapshot_forecasts["month"] == month)
        ]
        frozen = frozen.groupby("deal_id")[
            ["order_amount", "mold_sales", "product_sales"]
        ].sum()
        month_orders = (
            orders[
                pd.to_datetime(orders["order_date"]).dt.to_period("M")
                == month.to_period("M")
            ]
            .groupby("deal_id")["net_value"]
            .sum()
        )
        shipped = shipments[
            (shipments["plan_or_actual"] == "actual") & (shipments["month"] == month)
        ].copy()
        shipped["matched"] = np.where(
            shipped["deal_id"].isin(known),
            shipped["deal_id"],
            shipped["project_id"].map(by_project),
        )
        month_shipped = shipped.groupby("matched")["amount"].sum()
        snap = snapshot_deals[
            snapshot_deals["business_line"] == "integrated"
        ].set_index("deal_id")
        accuracy = {}
        for phase, weight in settings.accuracy_weights.items():
            rows = snap[snap["effective_phase"] == phase]
            if phase == "opportunity":
                f = frozen["order_amount"].reindex(rows.index).fillna(0)
                a = month_orders.reindex(rows.index).fillna(0)
            else:
                f = (frozen["mold_sales"] + frozen["product_sales"]).reindex(rows.index)
                f = f.fillna(0)
                a = month_shipped.reindex(rows.index).fillna(0)
            if a.sum() == 0:
                score = 1.0 if f.sum() == 0 else 0.0
            else:
                score = max(0.0, 1 - (a - f).abs().sum() / a.sum())
            accuracy[phase] = (score, float(weight))
        integrated["total"]["weighted_accuracy"] = sum(
            s * w for s, w in accuracy.values()
        )

    # Commodity order attainment, year to date.
    commodity_orders = orders[
        (orders["business_line"] == "commodity")
        & (pd.to_datetime(orders["order_date"]) >= year_start)
        & (pd.to_datetime(orders["order_date"]) <= pd.Timestamp(as_of))
    ]
    order_targets = targets[
        (targets["year"] == y)
        & (targets["business_line"] == "commodity")
        & (targets["metric"] == "orders")
        & (targets["month"] <= m0)
    ]
    manager_targets = order_targets[order_targets["account_manager"] != ""]
    commodity = {
        "total": (manager_targets["amount"].sum(), commodity_orders["net_value"].sum()),
        "account_managers": {
            name: (
                manager_targets.loc[
                    manager_targets["account_manager"] == name, "amount"
                ].sum(),
                rows["net_value"].sum(),
            )
            for name, rows in commodity_orders.groupby("account_manager")
        },
    }
    return {"integrated": integrated, "commodity": commodity}


def compare(board: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """Figures where the warehouse board and the pandas board disagree (> 1 CNY)."""
    problems = []
    groups = [("total", board["integrated"]["total"], reference["integrated"]["total"])]
    groups += [
        (track, board["integrated"]["tracks"].get(track, {}), figures)
        for track, figures in reference["integrated"]["tracks"].items()
    ]
    for name, ours, theirs in groups:
        for key in ("target", "mp_expected", "mold_expected", "gap", "pipeline"):
            if abs(ours.get(key, 0.0) - float(theirs[key])) > 1:
                problems.append(
                    f"{name}.{key}: {ours.get(key)} vs pandas {theirs[key]}"
                )
        for key in ("weighted_pipeline", "converted_this_month", "monthly_pace"):
            if abs(ours.get(key, 0.0) - float(theirs[key])) > 1:
                problems.append(
                    f"{name}.{key}: {ours.get(key)} vs pandas {theirs[key]}"
                )

    accuracy = board["integrated"]["total"]["accuracy"]
    theirs = reference["integrated"]["total"].get("weighted_accuracy")
    if accuracy and theirs is not None and abs(accuracy["weighted"] - theirs) > 1e-4:
        problems.append(f"weighted accuracy: {accuracy['weighted']} vs pandas {theirs}")

    target, orders = reference["commodity"]["total"]
    ours = board["commodity"]["total"]
    if (
        abs(ours["order_target_ytd"] - target) > 1
        or abs(ours["orders_ytd"] - orders) > 1
    ):
        problems.append(f"commodity total: {ours} vs pandas {target}, {orders}")
    return problems


def main() -> int:
    """Build or reuse the bench warehouse, time the boards and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="regenerate the data")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after warm-up")
    parser.add_argument(
        "--board-only", action="store_true", help="time build_board alone"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    path = OUT / "board.duckdb"
    build_warehouse(path, rebuild=args.rebuild)
    settings = Settings()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    with Warehouse(path, read_only=True) as wh, wh.cursor() as cur:
        counts = {
            table: cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in (
                "deals",
                "forecasts",
                "snapshot_forecasts",
                "shipments",
                "orders",
            )
        }
        print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))

        first, board_s, board_cpu, board = timed(
            lambda: build_board(cur, AS_OF, settings), args.runs
        )
    print(
        f"build_board   cold first {first:.3f} s, median of {args.runs} {board_s:.3f} s"
        f" (CPU {board_cpu:.3f} s over all threads)"
    )
    if args.board_only:
        return 0

    with Warehouse(path, read_only=True) as wh:
        pandas_first, pandas_s, pandas_cpu, reference = timed(
            lambda: pandas_board(wh, AS_OF, settings), max(1, args.runs // 2)
        )
    print(
        f"pandas board  first {pandas_first:.3f} s, median {pandas_s:.3f} s"
        f" (CPU {pandas_cpu:.3f} s)"
    )
    print(
        f"ratio         pandas / build_board = {pandas_s / board_s:.1f}x wall,"
        f" {pandas_cpu / board_cpu:.1f}x CPU"
    )
    problems = compare(board.to_json(), reference)
    for problem in problems:
        print("MISMATCH " + problem)

    work = OUT / "board_check.duckdb"
    shutil.copyfile(path, work)
    with Warehouse(work) as wh:
        started = time.perf_counter()
        raised = run_check(wh, AS_OF, settings)
        check_first = time.perf_counter() - started
        _, check_s, check_cpu, again = timed(
            lambda: run_check(wh, AS_OF, settings), args.runs
        )
    work.unlink()
    print(
        f"run_check     first {check_first:.3f} s ({len(raised):,} alerts stored and "
        f"queued), re-check median {check_s:.3f} s, CPU {check_cpu:.3f} s"
        f" ({len(again)} new)"
    )

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "--db",
            str(path),
            "board",
            "--as-of",
            AS_OF.isoformat(),
            "--json",
        ],
        check=True,
        capture_output=True,
    )
    process_s = time.perf_counter() - started
    print(f"forecast board --json as a new process (with start-up): {process_s:.3f} s")
    print(
        "figures agree with pandas" if not problems else f"{len(problems)} mismatches"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
