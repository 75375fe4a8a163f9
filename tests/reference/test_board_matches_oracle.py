"""`forecast board --json` field by field against the reference oracle.

The sample warehouse is built once per module; for each as-of date the real
CLI runs in-process and every field of its JSON is compared with
tests/reference/board_oracle.py: amounts after rounding to 2 decimals, ratios
to 4, nulls where the SPEC says null, and the same keys (SPEC §7 lists M's and
C's keys exactly; inside "accuracy" extra keys such as the biases are allowed,
and checked when they are named `<stage>_bias`).

Small hand-built warehouses then stress the SPEC's corners; each one first
checks the oracle against figures worked out by hand from SPEC §4, then the
product against the oracle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cli.main import main
from tests.reference.board_oracle import RawTables, fetch_raw, oracle_board
from warehouse import Warehouse
from warehouse.demo import build_sample

AS_OF_DATES = (
    "2026-01-20",
    "2026-03-05",
    "2026-06-10",
    "2026-09-24",
    "2026-09-25",
    "2026-11-27",
    "2026-12-31",
)

M_KEYS = {
    "target",
    "mp_expected",
    "mold_expected",
    "gap",
    "pipeline",
    "weighted_pipeline",
    "coverage",
    "coverage_status",
    "monthly_pace",
    "converted_this_month",
    "accuracy",
}
C_KEYS = {"order_target_ytd", "orders_ytd", "order_attainment_ytd"}
ACCURACY_KEYS = {
    "month",
    "opportunity",
    "mold_development",
    "mass_production",
    "weighted",
}
AMOUNTS = {
    "target",
    "mp_expected",
    "mold_expected",
    "gap",
    "pipeline",
    "weighted_pipeline",
    "monthly_pace",
    "converted_this_month",
    "order_target_ytd",
    "orders_ytd",
}
RATIOS = {
    "coverage",
    "order_attainment_ytd",
    "opportunity",
    "mold_development",
    "mass_production",
    "weighted",
    "opportunity_bias",
    "mold_development_bias",
    "mass_production_bias",
}

# Known product defects (the SPEC sentence that decides each is in the reason).
XFAIL: dict[tuple[str, str], str] = {}

PARTS = (
    "header",
    "integrated_total",
    "integrated_tracks",
    "accuracy_total",
    "accuracy_tracks",
    "commodity_total",
    "commodity_breakdown",
)


def rounded(value: Decimal, places: int) -> set[Decimal]:
    """The value rounded to `places` decimals, half-even and half-up."""
    exponent = Decimal(1).scaleb(-places)
    return {
        value.quantize(exponent, rounding=ROUND_HALF_EVEN),
        value.quantize(exponent, rounding=ROUND_HALF_UP),
    }


def compare_value(path: str, key: str, product: Any, oracle: Any) -> list[str]:
    """Mismatch descriptions for one leaf field (empty when they agree)."""
    where = f"{path}.{key}"
    if oracle is None or product is None:
        if oracle is None and product is None:
            return []
        return [f"{where}: product={product!r} oracle={oracle!r}"]

    if key in AMOUNTS or key in RATIOS:
        places = 2 if key in AMOUNTS else 4
        if isinstance(product, bool) or not isinstance(product, int | Decimal):
            return [f"{where}: product={product!r} is not a number"]
        if Decimal(product) in rounded(oracle, places):
            return []
        expected = sorted(rounded(oracle, places))
        return [f"{where}: product={product} oracle={expected[0]} (exact {oracle})"]

    if product != oracle:
        return [f"{where}: product={product!r} oracle={oracle!r}"]
    return []


def compare_keys(path: str, product: dict, expected: set[str]) -> list[str]:
    """A mismatch when a dict's keys differ from the expected set."""
    if set(product) == expected:
        return []
    missing = sorted(expected - set(product))
    extra = sorted(set(product) - expected)
    return [f"{path}: keys missing {missing}, unexpected {extra}"]


def compare_m(path: str, product: dict, oracle: dict) -> list[str]:
    """Mismatches of one M object, its accuracy aside."""
    problems = compare_keys(path, product, M_KEYS)
    for key in sorted(M_KEYS - {"accuracy"}):
        if key in product:
            problems += compare_value(path, key, product[key], oracle[key])
    return problems


def compare_accuracy(path: str, product: Any, oracle: Any) -> list[str]:
    """Mismatches of one accuracy object (null, or the four ratios and month)."""
    if product is None or oracle is None:
        if product is None and oracle is None:
            return []
        return [f"{path}: product={product!r} oracle={oracle!r}"]

    problems = []
    missing = ACCURACY_KEYS - set(product)
    if missing:
        problems.append(f"{path}: keys missing {sorted(missing)}")
    checked = ACCURACY_KEYS | {k for k in product if k.endswith("_bias")}
    for key in sorted(checked & set(product)):
        problems += compare_value(path, key, product[key], oracle.get(key))
    return problems


def compare_c(path: str, product: dict, oracle: dict) -> list[str]:
    """Mismatches of one C object."""
    problems = compare_keys(path, product, C_KEYS)
    for key in sorted(C_KEYS & set(product)):
        problems += compare_value(path, key, product[key], oracle[key])
    return problems


def compare_part(part: str, product: dict, oracle: dict) -> list[str]:
    """Mismatches of one part of the board."""
    integrated_p, integrated_o = product["integrated"], oracle["integrated"]
    commodity_p, commodity_o = product["commodity"], oracle["commodity"]
    problems: list[str] = []

    if part == "header":
        problems += compare_keys(
            "board",
            product,
            {"as_of", "year", "remaining_months", "integrated", "commodity"},
        )
        for key in ("as_of", "year", "remaining_months"):
            problems += compare_value("board", key, product.get(key), oracle[key])
        problems += compare_keys("integrated", integrated_p, {"total", "tracks"})
        problems += compare_keys(
            "commodity", commodity_p, {"total", "account_managers", "profit_centers"}
        )
    elif part == "integrated_total":
        problems += compare_m("total", integrated_p["total"], integrated_o["total"])
    elif part == "integrated_tracks":
        tracks_p, tracks_o = integrated_p["tracks"], integrated_o["tracks"]
        problems += compare_keys("tracks", tracks_p, set(tracks_o))
        for track in sorted(set(tracks_p) & set(tracks_o)):
            problems += compare_m(f"tracks[{track}]", tracks_p[track], tracks_o[track])
    elif part == "accuracy_total":
        problems += compare_accuracy(
            "total.accuracy",
            integrated_p["total"].get("accuracy"),
            integrated_o["total"]["accuracy"],
        )
    elif part == "accuracy_tracks":
        tracks_p, tracks_o = integrated_p["tracks"], integrated_o["tracks"]
        for track in sorted(set(tracks_p) & set(tracks_o)):
            problems += compare_accuracy(
                f"tracks[{track}].accuracy",
                tracks_p[track].get("accuracy"),
                tracks_o[track]["accuracy"],
            )
    elif part == "commodity_total":
        problems += compare_c(
            "commodity.total", commodity_p["total"], commodity_o["total"]
        )
    elif part == "commodity_breakdown":
        for group in ("account_managers", "profit_centers"):
            group_p, group_o = commodity_p[group], commodity_o[group]
            problems += compare_keys(group, group_p, set(group_o))
            for name in sorted(set(group_p) & set(group_o)):
                problems += compare_c(f"{group}[{name}]", group_p[name], group_o[name])
    return problems


def compare_board(product: dict, oracle: dict) -> list[str]:
    """Every mismatch of the whole board."""
    return [p for part in PARTS for p in compare_part(part, product, oracle)]


def run_board(db: Path, as_of: str, capsys: pytest.CaptureFixture[str]) -> dict:
    """`forecast --db DB board --as-of D --json`, run in-process and parsed exactly."""
    capsys.readouterr()
    code = main(["--db", str(db), "board", "--as-of", as_of, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out, parse_float=Decimal)


@dataclass
class Sample:
    """The sample warehouse file, its raw rows, and boards printed so far."""

    path: Path
    raw: RawTables
    boards: dict[str, dict]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """The demo warehouse, built once for this module."""
    path = tmp_path_factory.mktemp("oracle") / "sample.duckdb"
    with Warehouse(path) as wh:
        build_sample(wh)
        with wh.cursor() as cur:
            raw = fetch_raw(cur)
    return Sample(path, raw, {})


def case_marks(as_of: str, part: str) -> list[pytest.MarkDecorator]:
    """A strict xfail for a known product defect, else nothing."""
    reason = XFAIL.get((as_of, part))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize(
    ("as_of", "part"),
    [
        pytest.param(d, p, id=f"{d}-{p}", marks=case_marks(d, p))
        for d in AS_OF_DATES
        for p in PARTS
    ],
)
def test_board_matches_oracle_on_sample(
    sample: Sample, as_of: str, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if as_of not in sample.boards:
        sample.boards[as_of] = run_board(sample.path, as_of, capsys)

    product = sample.boards[as_of]
    oracle = oracle_board(sample.raw, date.fromisoformat(as_of))

    problems = compare_part(part, product, oracle)
    assert not problems, "\n".join(problems)


def test_oracle_sample_is_not_trivial(sample: Sample) -> None:
    # Guard against a vacuous comparison: the sample at 2026-06-10 has money in
    # every integrated figure the board sums, and an accuracy month.
    board = oracle_board(sample.raw, date(2026, 6, 10))
    total = board["integrated"]["total"]

    assert total["target"] > 0 and total["mp_expected"] > 0
    assert total["mold_expected"] > 0 and total["pipeline"] > 0
    assert total["accuracy"]["month"] == "2026-05"
    assert board["commodity"]["total"]["orders_ytd"] > 0
    assert len(board["commodity"]["account_managers"]) == 5
    assert len(board["commodity"]["profit_centers"]) == 3
    assert len(board["integrated"]["tracks"]) == 5


def test_compare_board_flags_a_cent_a_ratio_step_and_a_key(
    sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    # The comparison itself must be able to fail: one cent, one 0.0001 step of
    # a ratio and one missing track are each reported.
    as_of = "2026-06-10"
    if as_of not in sample.boards:
        sample.boards[as_of] = run_board(sample.path, as_of, capsys)
    product = sample.boards[as_of]
    oracle = oracle_board(sample.raw, date.fromisoformat(as_of))

    oracle["commodity"]["total"]["orders_ytd"] += Decimal("0.01")
    oracle["integrated"]["total"]["accuracy"]["weighted"] += Decimal("0.0001")
    oracle["integrated"]["tracks"]["T-none"] = oracle["integrated"]["total"]
    problems = compare_board(product, oracle)

    assert sorted(p.split(":")[0] for p in problems) == [
        "commodity.total.orders_ytd",
        "total.accuracy.weighted",
        "tracks",
    ]


# Hand-built corners. Rows go in with plain SQL; load_id 0 marks them.


def add_deal(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    *,
    phase: str = "opportunity",
    stage: str = "M Potential",
    track: str = "T1",
    line: str = "integrated",
    manager: str = "amy",
    secured_on: str | None = None,
    project_id: str | None = None,
) -> None:
    """One CRM deal."""
    cur.execute(
        "INSERT INTO deals (deal_id, business_line, track, account_manager, phase,"
        " stage, created_on, secured_on, project_id, load_id)"
        " VALUES (?, ?, ?, ?, ?, ?, DATE '2025-10-01', ?, ?, 0)",
        [
            deal_id,
            line,
            track,
            manager,
            phase,
            stage,
            date.fromisoformat(secured_on) if secured_on else None,
            project_id,
        ],
    )


def add_forecast(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    submitted_at: str,
    month: str,
    *,
    version: str = "rolling",
    order: int = 0,
    mold: int = 0,
    product: int = 0,
) -> None:
    """One month ('YYYY-MM') of one forecast submission."""
    cur.execute(
        "INSERT INTO forecasts VALUES (?, ?, ?, ?, ?, 0, ?, ?, 0)",
        [
            deal_id,
            version,
            datetime.fromisoformat(submitted_at),
            date.fromisoformat(f"{month}-01"),
            Decimal(order),
            Decimal(mold),
            Decimal(product),
        ],
    )


def add_shipment(
    cur: duckdb.DuckDBPyConnection,
    month: str,
    amount: int,
    *,
    deal_id: str = "",
    project_id: str = "",
    kind: str = "product",
    plan_or_actual: str = "actual",
) -> None:
    """One shipment row ('' for a blank deal or project)."""
    cur.execute(
        "INSERT INTO shipments VALUES (?, ?, ?, ?, ?, 'ERP', ?, 0)",
        [
            date.fromisoformat(f"{month}-01"),
            deal_id,
            project_id,
            kind,
            Decimal(amount),
            plan_or_actual,
        ],
    )


def add_target(
    cur: duckdb.DuckDBPyConnection,
    month: int,
    amount: int,
    *,
    line: str = "integrated",
    metric: str = "sales",
    track: str = "",
    manager: str = "",
    profit_center: str = "",
) -> None:
    """One target row of 2026."""
    cur.execute(
        "INSERT INTO targets VALUES (2026, ?, ?, ?, ?, ?, ?, ?, 0)",
        [line, metric, month, track, manager, profit_center, Decimal(amount)],
    )


def add_order(
    cur: duckdb.DuckDBPyConnection,
    order_no: str,
    order_date: str,
    amount: int,
    *,
    line: str = "commodity",
    track: str = "T1",
    manager: str = "amy",
    profit_center: str | None = None,
    deal_id: str | None = None,
) -> None:
    """One SAP order."""
    cur.execute(
        "INSERT INTO orders (order_no, order_date, business_line, track,"
        " account_manager, profit_center, deal_id, net_value, load_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [
            order_no,
            date.fromisoformat(order_date),
            line,
            track,
            manager,
            profit_center,
            deal_id,
            Decimal(amount),
        ],
    )


def add_snapshot(
    cur: duckdb.DuckDBPyConnection,
    label: str,
    as_of: str,
    deals: list[tuple[str, str, str]],
) -> None:
    """A snapshot record with its deals as (deal_id, track, effective_phase)."""
    cur.execute(
        "INSERT INTO snapshots VALUES (?, ?, ?, ?, 'test', ?, 0, 'x', NULL, 'x')",
        [
            label,
            date.fromisoformat(f"{label}-01"),
            date.fromisoformat(as_of),
            datetime.fromisoformat(f"{as_of} 08:00:00"),
            len(deals),
        ],
    )
    phases = {
        "opportunity": ("opportunity", "H Potential"),
        "mold_development": ("mold_development", "Secured"),
        "mass_production": ("mass_production", "Secured"),
    }
    for deal_id, track, effective in deals:
        phase, stage = phases[effective]
        cur.execute(
            "INSERT INTO snapshot_deals (label, deal_id, business_line, track,"
            " account_manager, phase, stage, effective_phase, created_on)"
            " VALUES (?, ?, 'integrated', ?, 'amy', ?, ?, ?, DATE '2025-10-01')",
            [label, deal_id, track, phase, stage, effective],
        )


def add_snapshot_forecast(
    cur: duckdb.DuckDBPyConnection,
    label: str,
    deal_id: str,
    version: str,
    month: str,
    *,
    order: int = 0,
    mold: int = 0,
    product: int = 0,
) -> None:
    """One month of a deal's frozen rolling or precision forecast in a snapshot."""
    cur.execute(
        "INSERT INTO snapshot_forecasts VALUES (?, ?, ?, TIMESTAMP '2026-05-01 09:00',"
        " ?, ?, 0, ?, ?)",
        [
            label,
            deal_id,
            version,
            date.fromisoformat(f"{month}-01"),
            Decimal(order),
            Decimal(mold),
            Decimal(product),
        ],
    )


Build = Callable[[duckdb.DuckDBPyConnection], None]


@dataclass(frozen=True)
class HandCase:
    """Rows to insert, the as-of date, and figures worked out by hand."""

    build: Build
    as_of: str
    expected: dict[str, Decimal | str | None]


def precision_after_d(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured")
    add_forecast(cur, "MP1", "2026-05-01 09:00:00", "2026-07", product=100)
    # Submitted at midnight after D: a fact of D + 1, so rolling stays current.
    add_forecast(
        cur, "MP1", "2026-06-11 00:00:00", "2026-07", version="precision", product=900
    )
    add_target(cur, 1, 1_000, track="T1")


def precision_at_2359(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured")
    add_forecast(cur, "MP1", "2026-05-01 09:00:00", "2026-07", product=100)
    # 23:59 on D counts for D: the precision version is current.
    add_forecast(
        cur, "MP1", "2026-06-10 23:59:00", "2026-07", version="precision", product=900
    )
    # A later rolling one does not displace a precision submission.
    add_forecast(cur, "MP1", "2026-06-10 23:59:30", "2026-07", product=50)
    add_target(cur, 1, 1_000, track="T1")


def shipment_deal_and_project(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured", project_id="P1")
    # Both keys name MP1: one row, counted once.
    add_shipment(cur, "2026-03", 500, deal_id="MP1", project_id="P1")
    add_shipment(cur, "2026-04", 70, project_id="P1", kind="mold")
    # Plan rows and shipments of M0 (open) do not count.
    add_shipment(cur, "2026-05", 40, project_id="P1", plan_or_actual="plan")
    add_shipment(cur, "2026-06", 8, deal_id="MP1")
    add_forecast(cur, "MP1", "2026-06-01 09:00:00", "2026-06", product=300)
    add_target(cur, 2, 2_000, track="T1")


def shipment_unknown_deal_with_project(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured", project_id="P2")
    add_deal(cur, "MD1", phase="mold_development", stage="Secured", project_id="P3")
    # deal_id names no deal: the row goes to the deal carrying P2.
    add_shipment(cur, "2026-02", 250, deal_id="GHOST", project_id="P2")
    # A project no deal carries (commodity WIP work) is nobody's.
    add_shipment(cur, "2026-02", 999, project_id="P9")
    # A known deal_id wins over another deal's project number.
    add_shipment(cur, "2026-03", 60, deal_id="MD1", project_id="P2", kind="mold")
    add_target(cur, 1, 100, track="T1")


def secured_opportunity(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "S1", phase="opportunity", stage="Secured", secured_on="2026-06-03")
    add_forecast(cur, "S1", "2026-06-04 10:00:00", "2026-09", mold=400)
    add_deal(cur, "H1", phase="opportunity", stage="H Potential")
    add_forecast(cur, "H1", "2026-06-04 10:00:00", "2026-10", product=200)
    # Secured after D: not converted this month yet.
    add_deal(
        cur, "S2", phase="mold_development", stage="Secured", secured_on="2026-06-20"
    )
    add_forecast(cur, "S2", "2026-06-04 10:00:00", "2026-11", mold=30)
    add_target(cur, 1, 1_000, track="T1")


def lost_with_forecasts(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(
        cur,
        "L1",
        phase="mass_production",
        stage="Lost",
        secured_on="2026-06-02",
        project_id="PL",
    )
    add_forecast(cur, "L1", "2026-06-02 10:00:00", "2026-08", product=5_000)
    add_shipment(cur, "2026-02", 700, project_id="PL")
    add_deal(cur, "L2", phase="opportunity", stage="Lost")
    add_forecast(cur, "L2", "2026-06-02 10:00:00", "2026-08", product=3_000)
    add_deal(cur, "O1", phase="opportunity", stage="L Potential", track="T2")
    add_forecast(cur, "O1", "2026-06-02 10:00:00", "2026-08", product=400)
    add_target(cur, 1, 1_000, track="T1")
    add_target(cur, 1, 1_000, track="T2")


def order_on_d(cur: duckdb.DuckDBPyConnection) -> None:
    add_target(cur, 1, 100, line="commodity", metric="orders", manager="amy")
    add_target(cur, 6, 300, line="commodity", metric="orders", manager="amy")
    add_target(cur, 7, 999, line="commodity", metric="orders", manager="amy")
    add_target(cur, 1, 100, line="commodity", metric="orders", profit_center="PC1")
    add_target(cur, 6, 300, line="commodity", metric="orders", profit_center="PC1")
    add_order(cur, "S1", "2026-06-10", 250, profit_center="PC1")
    add_order(cur, "S2", "2026-06-11", 80, profit_center="PC1")
    add_order(cur, "S3", "2025-12-31", 40, profit_center="PC1")
    add_order(cur, "S4", "2026-02-14", 50, manager="bob")
    add_order(cur, "S5", "2026-03-01", 11, line="integrated", manager="amy")


def accuracy_corners(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "O1", phase="mold_development", stage="Secured", project_id="PO")
    add_deal(cur, "O2", phase="opportunity", stage="M Potential")
    add_deal(cur, "D1", phase="mold_development", stage="Secured", project_id="PD")
    add_deal(cur, "D2", phase="mold_development", stage="Secured", track="T2")
    add_deal(cur, "M1", phase="mass_production", stage="Secured", project_id="PM")
    add_snapshot(
        cur,
        "2026-05",
        "2026-05-05",
        [
            ("O1", "T1", "opportunity"),
            ("O2", "T1", "opportunity"),
            ("D1", "T1", "mold_development"),
            ("D2", "T2", "mold_development"),
            ("M1", "T1", "mass_production"),
        ],
    )
    # Opportunities: F = order amount for May; A = their orders dated in May.
    add_snapshot_forecast(cur, "2026-05", "O1", "rolling", "2026-05", order=100)
    add_snapshot_forecast(cur, "2026-05", "O2", "rolling", "2026-05", order=50)
    add_order(cur, "X1", "2026-05-31", 120, line="integrated", deal_id="O1")
    add_order(cur, "X2", "2026-06-01", 999, line="integrated", deal_id="O2")
    # D1 has both versions in the snapshot: precision is its forecast.
    add_snapshot_forecast(cur, "2026-05", "D1", "rolling", "2026-05", mold=10)
    add_snapshot_forecast(
        cur, "2026-05", "D1", "precision", "2026-05", mold=200, product=0
    )
    add_shipment(cur, "2026-05", 160, project_id="PD", kind="mold")
    # D2 (track T2): forecast 40, nothing shipped.
    add_snapshot_forecast(cur, "2026-05", "D2", "rolling", "2026-05", product=40)
    # M1: forecast 300, shipped 330 by deal and project in two rows.
    add_snapshot_forecast(cur, "2026-05", "M1", "rolling", "2026-05", product=300)
    add_shipment(cur, "2026-05", 200, deal_id="M1")
    add_shipment(cur, "2026-05", 130, project_id="PM", kind="mold")
    add_target(cur, 1, 10_000, track="T1")
    add_target(cur, 1, 10_000, track="T2")


def precision_replaces_rolling(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured")
    add_forecast(
        cur, "MP1", "2026-05-01 09:00:00", "2026-07", version="precision", product=150
    )
    # A later rolling submission with more months does not count beside it.
    add_forecast(cur, "MP1", "2026-06-01 09:00:00", "2026-07", product=100)
    add_forecast(cur, "MP1", "2026-06-01 09:00:00", "2026-08", product=100)
    # Months outside Y and shipments of Y − 1 are not part of E for Y.
    add_forecast(
        cur, "MP1", "2026-05-01 09:00:00", "2027-01", version="precision", mold=77
    )
    add_shipment(cur, "2025-12", 66, deal_id="MP1")
    add_target(cur, 1, 1_000, track="T1")


def coverage_at_threshold(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "H1", phase="opportunity", stage="H Potential")
    add_forecast(cur, "H1", "2026-01-05 09:00:00", "2026-12", mold=2_000)
    add_target(cur, 3, 1_000, track="T1")
    # A row naming no track counts for the total only; 2025 counts nowhere.
    add_target(cur, 4, 500)
    cur.execute(
        "INSERT INTO targets VALUES (2025, 'integrated', 'sales', 1, 'T1', '', '',"
        " 9999, 0)"
    )


def accuracy_latest_snapshot(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "M1", phase="mass_production", stage="Secured")
    # March has a snapshot, April and May none, June is not closed at D.
    add_snapshot(cur, "2026-03", "2026-03-05", [("M1", "T1", "mass_production")])
    add_snapshot(cur, "2026-06", "2026-06-05", [("M1", "T1", "mass_production")])
    add_snapshot_forecast(cur, "2026-03", "M1", "rolling", "2026-03", product=100)
    add_shipment(cur, "2026-03", 80, deal_id="M1")
    add_target(cur, 1, 1_000, track="T1")


def accuracy_precision_without_month(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "M1", phase="mass_production", stage="Secured")
    add_deal(cur, "M2", phase="mass_production", stage="Secured", track="T2")
    # The snapshot froze M1 in track T1; it has since moved to T2 (latest
    # attributes), but accuracy is by the deal as it was in the snapshot.
    add_snapshot(
        cur,
        "2026-05",
        "2026-05-05",
        [("M1", "T1", "mass_production"), ("M2", "T2", "mass_production")],
    )
    cur.execute("UPDATE deals SET track = 'T2' WHERE deal_id = 'M1'")
    # M1's precision version has no May row: F = 0, not the rolling 100.
    add_snapshot_forecast(cur, "2026-05", "M1", "rolling", "2026-05", product=100)
    add_snapshot_forecast(cur, "2026-05", "M1", "precision", "2026-06", product=100)
    add_shipment(cur, "2026-05", 100, deal_id="M1")
    add_snapshot_forecast(cur, "2026-05", "M2", "rolling", "2026-05", product=50)
    add_shipment(cur, "2026-05", 40, deal_id="M2")
    add_target(cur, 1, 1_000, track="T1")
    add_target(cur, 1, 1_000, track="T2")


def shared_project(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP2", phase="mass_production", stage="Secured", project_id="P1")
    add_deal(cur, "MP1", phase="mold_development", stage="Secured", project_id="P1")
    add_shipment(cur, "2026-02", 500, project_id="P1")
    add_target(cur, 1, 1_000, track="T1")


def commodity_fallbacks(cur: duckdb.DuckDBPyConnection) -> None:
    # No manager-level target: the profit-centre rows form the total's target.
    add_target(cur, 1, 100, line="commodity", metric="orders", profit_center="PC1")
    add_target(cur, 2, 200, line="commodity", metric="orders", profit_center="PC2")
    add_target(cur, 3, 999, line="commodity", metric="orders", profit_center="PC2")
    add_target(cur, 1, 50, line="commodity", metric="sales", profit_center="PC1")
    add_order(cur, "S1", "2026-01-15", 90, profit_center="PC1")
    # A blank profit centre: counts for the manager and the total only.
    add_order(cur, "S2", "2026-02-15", 60, manager="bob")


def snapshot_after_d(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "M1", phase="mass_production", stage="Secured")
    add_snapshot(cur, "2026-04", "2026-04-05", [("M1", "T1", "mass_production")])
    add_snapshot_forecast(cur, "2026-04", "M1", "rolling", "2026-04", product=100)
    add_shipment(cur, "2026-04", 90, deal_id="M1")
    # May's snapshot was taken late, after D: not yet a fact at D.
    add_snapshot(cur, "2026-05", "2026-06-20", [("M1", "T1", "mass_production")])
    add_snapshot_forecast(cur, "2026-05", "M1", "rolling", "2026-05", product=100)
    add_shipment(cur, "2026-05", 50, deal_id="M1")
    add_target(cur, 1, 1_000, track="T1")


def integrated_only(cur: duckdb.DuckDBPyConnection) -> None:
    add_deal(cur, "MP1", phase="mass_production", stage="Secured", project_id="P1")
    add_forecast(cur, "MP1", "2026-06-01 09:00:00", "2026-09", product=100)
    # A commodity deal in the same track: not part of the integrated board.
    add_deal(
        cur,
        "C1",
        phase="mass_production",
        stage="Secured",
        line="commodity",
        project_id="PC",
    )
    add_forecast(cur, "C1", "2026-06-01 09:00:00", "2026-09", product=7_000)
    add_shipment(cur, "2026-02", 3_000, project_id="PC")
    add_deal(cur, "C2", stage="H Potential", line="commodity", track="T9")
    add_forecast(cur, "C2", "2026-06-01 09:00:00", "2026-09", order=5_000)
    # Commodity sales targets and integrated order targets are other metrics.
    add_target(cur, 1, 1_000, track="T1")
    add_target(cur, 1, 4_000, line="commodity", metric="orders", track="T1")
    add_target(cur, 1, 8_000, metric="orders", track="T1")
    # A track with a target and no deal yet.
    add_target(cur, 2, 300, track="T3")


# Each expected figure is worked out from SPEC §4 in the comment beside it.
HAND_CASES: dict[str, HandCase] = {
    "precision_after_d_ignored": HandCase(
        precision_after_d,
        "2026-06-10",
        {
            # rolling is current: E = July 100; gap 1,000 − 100 = 900
            "integrated.total.mp_expected": Decimal(100),
            "integrated.total.gap": Decimal(900),
            # monthly_pace 900 ÷ (13 − 6) = 128.571… ; coverage 0 ÷ 900 = 0
            "integrated.total.monthly_pace": Decimal(900) / 7,
            "integrated.total.coverage": Decimal(0),
            "integrated.total.coverage_status": "alert",
        },
    ),
    "submission_at_2359_on_d": HandCase(
        precision_at_2359,
        "2026-06-10",
        {
            # precision of 23:59 on D is current: E = 900; gap 100
            "integrated.total.mp_expected": Decimal(900),
            "integrated.tracks.T1.gap": Decimal(100),
        },
    ),
    "shipment_with_deal_and_project_once": HandCase(
        shipment_deal_and_project,
        "2026-06-10",
        {
            # closed: March 500 (once) + April mold 70; open June forecast 300
            # (the June actual 8 and the May plan 40 do not count): E = 870
            "integrated.total.mp_expected": Decimal(870),
            # gap 2,000 − 870 = 1,130
            "integrated.total.gap": Decimal(1_130),
        },
    ),
    "shipment_unknown_deal_through_project": HandCase(
        shipment_unknown_deal_with_project,
        "2026-06-10",
        {
            # MP1: February 250 through P2; P9's 999 is nobody's
            "integrated.total.mp_expected": Decimal(250),
            # MD1: March 60 by its own deal_id
            "integrated.total.mold_expected": Decimal(60),
            # gap 100 − 250 − 60 = −210: healthy, coverage null, pace 0
            "integrated.total.gap": Decimal(-210),
            "integrated.total.coverage": None,
            "integrated.total.coverage_status": "healthy",
            "integrated.total.monthly_pace": Decimal(0),
        },
    ),
    "secured_opportunity_is_mold_development": HandCase(
        secured_opportunity,
        "2026-06-10",
        {
            # S1 (机会, Secured) 400 + S2 30 are mold_development: 430
            "integrated.total.mold_expected": Decimal(430),
            # only H1 is pipeline: 200, weighted 200 × 0.75 = 150
            "integrated.total.pipeline": Decimal(200),
            "integrated.total.weighted_pipeline": Decimal(150),
            # gap 1,000 − 430 = 570; coverage 150 ÷ 570
            "integrated.total.coverage": Decimal(150) / Decimal(570),
            # S1 secured 06-03 ≤ D in June: 400; S2 secured 06-20 > D
            "integrated.total.converted_this_month": Decimal(400),
        },
    ),
    "lost_deal_counts_nowhere": HandCase(
        lost_with_forecasts,
        "2026-06-10",
        {
            # L1, L2 lost: nothing in E, pipeline or converted
            "integrated.total.mp_expected": Decimal(0),
            "integrated.tracks.T1.pipeline": Decimal(0),
            "integrated.total.converted_this_month": Decimal(0),
            # O1 (T2, L): pipeline 400, weighted 100; total gap 2,000
            "integrated.total.pipeline": Decimal(400),
            "integrated.total.weighted_pipeline": Decimal(100),
            "integrated.total.coverage": Decimal(100) / Decimal(2_000),
        },
    ),
    "order_on_d_counts": HandCase(
        order_on_d,
        "2026-06-10",
        {
            # amy: targets Jan 100 + Jun 300 = 400 (July not yet);
            # orders S1 250 on D (S2 after D, S3 in 2025, S5 integrated)
            "commodity.account_managers.amy.order_target_ytd": Decimal(400),
            "commodity.account_managers.amy.orders_ytd": Decimal(250),
            "commodity.account_managers.amy.order_attainment_ytd": Decimal("0.625"),
            # bob: no target → attainment null; orders 50
            "commodity.account_managers.bob.orders_ytd": Decimal(50),
            "commodity.account_managers.bob.order_attainment_ytd": None,
            "commodity.profit_centers.PC1.orders_ytd": Decimal(250),
            "commodity.profit_centers.PC1.order_target_ytd": Decimal(400),
            # total: manager rows 400 (the PC rows are the same money);
            # orders 250 + 50 = 300 → 0.75
            "commodity.total.order_target_ytd": Decimal(400),
            "commodity.total.orders_ytd": Decimal(300),
            "commodity.total.order_attainment_ytd": Decimal("0.75"),
        },
    ),
    "accuracy_by_stage_from_snapshot": HandCase(
        accuracy_corners,
        "2026-06-10",
        {
            "integrated.total.accuracy.month": "2026-05",
            # opportunity: |120 − 100| + |0 − 50| = 70 over ΣA 120
            # → 1 − 70/120 = 0.41666…
            "integrated.total.accuracy.opportunity": 1 - Decimal(70) / 120,
            # mold: D1 |160 − 200| + D2 |0 − 40| = 80 over 160 → 0.5
            "integrated.total.accuracy.mold_development": Decimal("0.5"),
            # mass production: |330 − 300| over 330 → 1 − 30/330
            "integrated.total.accuracy.mass_production": 1 - Decimal(30) / 330,
            # T2 alone: mold ΣA 0 < ΣF 40 → 0; no other deals → 1 and 1
            "integrated.tracks.T2.accuracy.mold_development": Decimal(0),
            "integrated.tracks.T2.accuracy.weighted": Decimal("0.7"),
            # T1 mold: |160 − 200| over 160 → 0.75
            "integrated.tracks.T1.accuracy.mold_development": Decimal("0.75"),
        },
    ),
    "precision_replaces_rolling_whole": HandCase(
        precision_replaces_rolling,
        "2026-06-10",
        {
            # precision (July 150) is current though rolling is later:
            # E = 150; August's rolling 100, 2027 and 2025 rows do not count
            "integrated.total.mp_expected": Decimal(150),
            "integrated.total.gap": Decimal(850),
        },
    ),
    "coverage_exactly_at_threshold": HandCase(
        coverage_at_threshold,
        "2026-06-10",
        {
            # T1: gap 1,000; weighted 2,000 × 0.75 = 1,500 → 1.5 → healthy
            "integrated.tracks.T1.coverage": Decimal("1.5"),
            "integrated.tracks.T1.coverage_status": "healthy",
            # total: target 1,000 + 500 = 1,500 → coverage 1.0 → alert
            "integrated.total.target": Decimal(1_500),
            "integrated.total.coverage": Decimal(1),
            "integrated.total.coverage_status": "alert",
            # pace 1,500 ÷ 7
            "integrated.total.monthly_pace": Decimal(1_500) / 7,
        },
    ),
    "accuracy_latest_closed_month_with_snapshot": HandCase(
        accuracy_latest_snapshot,
        "2026-06-10",
        {
            # May and April have none, June is open: March; 1 − 20/80
            "integrated.total.accuracy.month": "2026-03",
            "integrated.total.accuracy.mass_production": Decimal("0.75"),
            # no opportunity or mold deal in March: 1 each;
            # weighted 0.2 + 0.3 + 0.5 × 0.75 = 0.875
            "integrated.total.accuracy.weighted": Decimal("0.875"),
        },
    ),
    "accuracy_precision_without_the_month": HandCase(
        accuracy_precision_without_month,
        "2026-06-10",
        {
            # T1 (M1 as frozen): F 0 (precision has no May), A 100 → 1 − 100/100 = 0
            "integrated.tracks.T1.accuracy.mass_production": Decimal(0),
            # T2: M2 only: 1 − 10/40 = 0.75
            "integrated.tracks.T2.accuracy.mass_production": Decimal("0.75"),
            # total: (100 + 10) / (100 + 40) → 1 − 110/140
            "integrated.total.accuracy.mass_production": 1 - Decimal(110) / 140,
        },
    ),
    "shared_project_goes_to_smallest_deal": HandCase(
        shared_project,
        "2026-06-10",
        {
            # docs/rules.md: the smallest deal_id (MP1, mold) takes P1's 500
            "integrated.total.mold_expected": Decimal(500),
            "integrated.total.mp_expected": Decimal(0),
        },
    ),
    "commodity_target_fallbacks": HandCase(
        commodity_fallbacks,
        "2026-02-20",
        {
            # months 1…2: PC1 100 + PC2 200 = 300 (March's 999 not yet,
            # the sales-metric row is not an order target)
            "commodity.total.order_target_ytd": Decimal(300),
            "commodity.total.orders_ytd": Decimal(150),
            "commodity.total.order_attainment_ytd": Decimal("0.5"),
            "commodity.profit_centers.PC1.order_attainment_ytd": Decimal("0.9"),
            "commodity.profit_centers.PC2.orders_ytd": Decimal(0),
            "commodity.account_managers.bob.orders_ytd": Decimal(60),
            "commodity.account_managers.amy.order_target_ytd": Decimal(0),
        },
    ),
    "snapshot_taken_after_d_ignored": HandCase(
        snapshot_after_d,
        "2026-06-10",
        {
            # May's snapshot is dated 06-20 > D: April's; 1 − 10/90
            "integrated.total.accuracy.month": "2026-04",
            "integrated.total.accuracy.mass_production": 1 - Decimal(10) / 90,
        },
    ),
    "integrated_board_holds_integrated_deals_only": HandCase(
        integrated_only,
        "2026-06-10",
        {
            # MP1 only: 100; C1's forecast and shipment are commodity
            "integrated.total.mp_expected": Decimal(100),
            "integrated.total.pipeline": Decimal(0),
            # sales targets of the integrated line: 1,000 + 300
            "integrated.total.target": Decimal(1_300),
            "integrated.tracks.T1.gap": Decimal(900),
            # T3 is on the board with its target and nothing else
            "integrated.tracks.T3.gap": Decimal(300),
        },
    ),
}


def lookup(board: dict, dotted: str) -> Any:
    """A field of a board object by dotted path."""
    value: Any = board
    for key in dotted.split("."):
        value = value[key]
    return value


def build_hand_case(warehouse: Warehouse, case: HandCase) -> RawTables:
    """Insert the case's rows and return the raw tables, warehouse closed."""
    with warehouse.cursor() as cur:
        case.build(cur)
        raw = fetch_raw(cur)
    warehouse.close()
    return raw


@pytest.mark.parametrize("name", sorted(HAND_CASES))
def test_oracle_agrees_with_hand_arithmetic(warehouse: Warehouse, name: str) -> None:
    case = HAND_CASES[name]
    raw = build_hand_case(warehouse, case)

    board = oracle_board(raw, date.fromisoformat(case.as_of))

    for dotted, expected in case.expected.items():
        got = lookup(board, dotted)
        if isinstance(expected, Decimal):
            assert rounded(got, 4) == rounded(expected, 4), dotted
        else:
            assert got == expected, dotted


# Known product defects on hand-built cases (reason names the SPEC sentence).
HAND_XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=[pytest.mark.xfail(strict=True, reason=HAND_XFAIL[n])]
            if n in HAND_XFAIL
            else [],
        )
        for n in sorted(HAND_CASES)
    ],
)
def test_board_matches_oracle_on_hand_case(
    warehouse: Warehouse, db_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = HAND_CASES[name]
    raw = build_hand_case(warehouse, case)

    product = run_board(db_path, case.as_of, capsys)
    oracle = oracle_board(raw, date.fromisoformat(case.as_of))

    problems = compare_board(product, oracle)
    assert not problems, "\n".join(problems)
