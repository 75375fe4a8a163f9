"""Benchmark: loading a 1,000,000-row forecasts CSV against the SPEC §10 yardstick.

    python bench/load.py [--rows 1000000] [--rounds 3] [--keep DIR]

Generates a forecasts CSV (Chinese headers, thousands separators, mixed
version spellings) and the deals file it references, then measures, each in a
fresh subprocess so that peak memory is its own:

  (a) bare DuckDB: CREATE TABLE AS SELECT * FROM read_csv(...) into a new file
      database — the floor of any load that persists to DuckDB;
  (b) plain polars.read_csv of the same file;
  (c) loaders.load_file of the same file, with full validation, into a
      warehouse that already holds the deals.

The three run in turn, round after round, so that a busy machine slows all
of them alike; each figure is the median over the rounds. It prints the time
measured inside the process (work only) and for the whole process (Python
start-up and imports included), the peak resident memory, and the ratios
(c)/(a) and (c)/(b). Goal ≤ 2× the bare ingest, aim ≤ 1.3×.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEALS = 10_000
MONTHS = 12

HEADER = "商机编号,预测版本,提交时间,月份,接单金额,模具套数,模具销售金额,产品销售金额\n"


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    """Write deals.csv and forecasts.csv; every forecast key is distinct."""
    rng = random.Random(20261203)
    deals = folder / "deals.csv"
    with deals.open("w", encoding="utf-8") as out:
        out.write("商机编号,业务类型,赛道,客户经理,商机类型,商机阶段,创建日期\n")
        for d in range(DEALS):
            out.write(
                f"D{d:06d},模塑一体,赛道{d % 20},经理{d % 300},机会,M Potential,"
                "2026-01-05\n"
            )

    forecasts = folder / "forecasts.csv"
    start = dt.datetime(2025, 1, 1, 8, 0)
    with forecasts.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        written = 0
        submission = 0
        while written < rows:
            # One submission = one deal's twelve months, a minute after the last.
            deal = f"D{submission % DEALS:06d}"
            version = ("滚动", "rolling", "精度", "precision")[submission % 4]
            submitted = f"{start + dt.timedelta(minutes=submission):%Y-%m-%d %H:%M}"
            for month in range(1, MONTHS + 1):
                if written == rows:
                    break
                order = rng.randint(0, 99_999_999)
                out.write(
                    f'{deal},{version},{submitted},2026-{month:02d},"{order // 100:,}.'
                    f'{order % 100:02d}",{rng.randint(0, 5)},{rng.randint(0, 999_999)}'
                    f'.50,"{rng.randint(0, 9_999_999):,}"\n'
                )
                written += 1
            submission += 1
    return deals, forecasts


def measure(what: str, csv: Path, db: Path) -> float:
    """Run one measurement in this process; return the seconds of work."""
    if what == "duckdb":
        import duckdb

        started = time.perf_counter()
        con = duckdb.connect(str(db))
        con.execute("CREATE TABLE forecasts AS SELECT * FROM read_csv(?)", [str(csv)])
        con.close()
        return time.perf_counter() - started

    if what == "polars":
        import polars as pl

        started = time.perf_counter()
        pl.read_csv(csv)
        return time.perf_counter() - started

    from loaders import load_file
    from warehouse import Warehouse

    started = time.perf_counter()
    warehouse = Warehouse(db)
    load_file(warehouse, "forecasts", csv)
    warehouse.close()
    return time.perf_counter() - started


def in_child(*args: str) -> tuple[float, float, float]:
    """(work seconds, whole-process seconds, peak RSS in MB) of a child run."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    whole = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"child {args} failed with status {status}")
    return json.loads(output)["seconds"], whole, usage.ru_maxrss / 1024


def main() -> None:
    """Generate the files, run the three measurements and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    parser.add_argument("--measure", choices=("duckdb", "polars", "loader"))
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps({"seconds": measure(args.measure, args.csv, args.db)}))
        return

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        deals, forecasts = generate(folder, args.rows)
        size = forecasts.stat().st_size / 1e6
        print(f"forecasts.csv: {args.rows:,} rows, {size:.0f} MB; deals.csv: {DEALS:,}")

        # The warehouse of (c) holds the deals before the timed load; each
        # round loads into a fresh copy of it.
        with_deals = folder / "with_deals.duckdb"
        subprocess.run(
            [sys.executable, "-m", "cli.main", "--db", str(with_deals), "load",
             "deals", str(deals)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

        names = (
            "(a) DuckDB CREATE TABLE AS read_csv",
            "(b) polars.read_csv",
            "(c) loaders.load_file, validated",
        )
        runs: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
        for round_no in range(args.rounds):
            bare = folder / f"bare{round_no}.duckdb"
            warehouse = folder / f"warehouse{round_no}.duckdb"
            shutil.copy(with_deals, warehouse)
            runs[names[0]].append(
                in_child(
                    "--measure", "duckdb", "--csv", str(forecasts), "--db", str(bare)
                )
            )
            runs[names[1]].append(
                in_child("--measure", "polars", "--csv", str(forecasts))
            )
            runs[names[2]].append(
                in_child(
                    "--measure",
                    "loader",
                    "--csv",
                    str(forecasts),
                    "--db",
                    str(warehouse),
                )
            )
            bare.unlink()
            warehouse.unlink()

    results = {
        name: tuple(statistics.median(run[i] for run in measured) for i in range(3))
        for name, measured in runs.items()
    }
    print(f"median of {args.rounds} rounds:")
    print(f"{'':38} {'work s':>8} {'process s':>10} {'peak MB':>8}")
    for name, (work, whole, peak) in results.items():
        print(f"{name:38} {work:8.2f} {whole:10.2f} {peak:8.0f}")
    (a, a_whole, _), (b, b_whole, _), (c, c_whole, _) = results.values()
    print(f"(c)/(a): {c / a:.2f} (work), {c_whole / a_whole:.2f} (whole process)")
    print(f"(c)/(b): {c / b:.2f} (work), {c_whole / b_whole:.2f} (whole process)")


if __name__ == "__main__":
    main()
