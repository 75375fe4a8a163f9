"""A slow, plain reference implementation of `forecast board --json` (SPEC §4, §7).

This is a test oracle: it reads every table with a bare `SELECT *` and applies
the SPEC's definitions word by word with Python loops and Decimal arithmetic,
so that a disagreement with the product points at one of the two readings.
It deliberately shares no code with rules/ or warehouse/ beyond the cursor.

The values it returns are unrounded: amounts and ratios as Decimal, null as
None; the JSON rounding (2 decimals for amounts, 4 for ratios) is the test's.

Readings of the SPEC where it is silent follow docs/rules.md and
docs/decisions.md, and each is named where it is applied:

- integrated total target: every integrated sales target row of Y; a track's
  target: the rows naming that track (split by manager or not);
- commodity total target: the manager-level order-target rows, else the
  profit-centre rows, else the rows split by neither;
- a shipment whose deal_id is blank or unknown goes to the deal carrying its
  project_id, the smallest deal_id when several do;
- Lost deals count nowhere (not in converted_this_month, and a track that
  only Lost deals carry is not on the board);
- a snapshot counts for accuracy only when its as_of is on or before D;
- the commodity managers and profit centres on the board are those named by
  an order target of Y or a commodity order of Y dated ≤ D;
- a stage with no deal in the snapshot scores 1 (every A = F = 0, vacuously);
- order attainment is null when the target is 0.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import duckdb

Row = dict[str, Any]

TABLES = (
    "deals",
    "forecasts",
    "quotes",
    "targets",
    "shipments",
    "orders",
    "snapshots",
    "snapshot_deals",
    "snapshot_forecasts",
)

PHASES = ("opportunity", "mold_development", "mass_production")
STAGE_WEIGHTS = {
    "L Potential": Decimal("0.25"),
    "M Potential": Decimal("0.50"),
    "H Potential": Decimal("0.75"),
}
ACCURACY_WEIGHTS = {
    "opportunity": Decimal("0.2"),
    "mold_development": Decimal("0.3"),
    "mass_production": Decimal("0.5"),
}
COVERAGE_THRESHOLD = Decimal("1.5")
ZERO = Decimal(0)
ONE = Decimal(1)

# Enough digits that no ratio is rounded before the JSON's 4 decimals.
EXACT = decimal.Context(prec=60)


@dataclass(frozen=True)
class RawTables:
    """Every row of the tables the board reads, as plain dicts."""

    tables: dict[str, list[Row]]

    def __getitem__(self, name: str) -> list[Row]:
        return self.tables[name]


def fetch_raw(con: duckdb.DuckDBPyConnection) -> RawTables:
    """Every row of the board's tables, fetched with a trivial SELECT *."""
    tables: dict[str, list[Row]] = {}
    for name in TABLES:
        cur = con.execute(f"SELECT * FROM {name}")
        columns = [d[0] for d in cur.description]
        tables[name] = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    return RawTables(tables)


def effective_phase(phase: str, stage: str) -> str:
    """The effective phase of SPEC §4: lost, mass production, mold or opportunity."""
    if stage == "Lost":
        return "lost"
    if phase == "mass_production":
        return "mass_production"
    if phase == "mold_development" or stage == "Secured":
        return "mold_development"
    return "opportunity"


def end_of_day(as_of: date) -> datetime:
    """The first instant after D: a submission counts when strictly before it."""
    return datetime.combine(as_of + timedelta(days=1), time())


def submission_rows(
    rows: list[Row], cutoff: datetime | None
) -> dict[str, dict[tuple[str, datetime], list[Row]]]:
    """Forecast rows grouped per deal into submissions (version, submitted_at)."""
    grouped: dict[str, dict[tuple[str, datetime], list[Row]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        if cutoff is not None and not row["submitted_at"] < cutoff:
            continue
        grouped[row["deal_id"]][(row["version"], row["submitted_at"])].append(row)
    return grouped


def pick_current(submissions: dict[tuple[str, datetime], list[Row]]) -> list[Row]:
    """The latest precision submission if any, else the latest rolling one."""
    for version in ("precision", "rolling"):
        times = [at for (v, at) in submissions if v == version]
        if times:
            return submissions[(version, max(times))]
    return []


def current_forecasts(raw: RawTables, as_of: date) -> dict[str, list[Row]]:
    """Per deal, the rows of its current forecast at D (SPEC §4)."""
    grouped = submission_rows(raw["forecasts"], end_of_day(as_of))
    return {deal_id: pick_current(subs) for deal_id, subs in grouped.items()}


def shipment_owner(raw: RawTables) -> dict[int, str | None]:
    """Index of each shipment row → the deal it belongs to, or None.

    Matched by deal_id; a row whose deal_id is blank or names no deal goes
    through the deal's project_id (smallest deal_id when several carry it).
    """
    deal_ids = {d["deal_id"] for d in raw["deals"]}
    by_project: dict[str, str] = {}
    for deal in raw["deals"]:
        project = deal["project_id"]
        if project:
            known = by_project.get(project)
            if known is None or deal["deal_id"] < known:
                by_project[project] = deal["deal_id"]

    owners: dict[int, str | None] = {}
    for index, row in enumerate(raw["shipments"]):
        if row["deal_id"] and row["deal_id"] in deal_ids:
            owners[index] = row["deal_id"]
        elif row["project_id"] and row["project_id"] in by_project:
            owners[index] = by_project[row["project_id"]]
        else:
            owners[index] = None
    return owners


def actual_sales(raw: RawTables, as_of: date) -> dict[tuple[str, date], Decimal]:
    """(deal, month) → actual mold + product shipments, months ≤ M0 only."""
    owners = shipment_owner(raw)
    current_month = as_of.replace(day=1)
    sales: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for index, row in enumerate(raw["shipments"]):
        if row["plan_or_actual"] != "actual" or row["month"] > current_month:
            continue
        owner = owners[index]
        if owner is not None:
            sales[(owner, row["month"])] += row["amount"]
    return sales


def forecast_sales(rows: list[Row], month: date) -> Decimal:
    """mold_sales + product_sales of a submission for one month (0 if absent)."""
    return sum(
        (r["mold_sales"] + r["product_sales"] for r in rows if r["month"] == month),
        ZERO,
    )


def order_amount(rows: list[Row], month: date) -> Decimal:
    """order_amount of a submission for one month (0 if absent)."""
    return sum((r["order_amount"] for r in rows if r["month"] == month), ZERO)


def months_of(year: int, first: int, last: int) -> list[date]:
    """The first days of months first … last of the year (empty if first > last)."""
    return [date(year, m, 1) for m in range(first, last + 1)]


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator ÷ denominator at full precision."""
    return EXACT.divide(numerator, denominator)


def stage_accuracy(pairs: list[tuple[Decimal, Decimal]]) -> tuple[Decimal, Any]:
    """(accuracy_p, bias_p) of SPEC §4 from (A_d, F_d) pairs."""
    sum_actual = sum((a for a, _ in pairs), ZERO)
    sum_forecast = sum((f for _, f in pairs), ZERO)
    sum_abs_error = sum((abs(a - f) for a, f in pairs), ZERO)

    if sum_actual == 0:
        accuracy = ONE if sum_forecast == 0 else ZERO
        return accuracy, None

    accuracy = max(ZERO, ONE - ratio(sum_abs_error, sum_actual))
    bias = ratio(sum_forecast - sum_actual, sum_actual)
    return accuracy, bias


def accuracy_month(raw: RawTables, as_of: date) -> Row | None:
    """The snapshot of the latest closed month of Y that has one (taken ≤ D)."""
    closed = months_of(as_of.year, 1, as_of.month - 1)
    candidates = [
        s for s in raw["snapshots"] if s["month"] in closed and s["as_of"] <= as_of
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: s["month"])


def accuracy_by_subject(
    raw: RawTables, as_of: date, tracks: list[str]
) -> dict[str | None, Row | None]:
    """Per track (and None for the total) the accuracy object, or None."""
    snapshot = accuracy_month(raw, as_of)
    if snapshot is None:
        return {t: None for t in [None, *tracks]}

    label = snapshot["label"]
    month = snapshot["month"]
    next_month = (month + timedelta(days=32)).replace(day=1)
    sales = actual_sales(raw, as_of)

    # F_d: the snapshot's precision submission if the deal has one, else rolling.
    snap_rows = [r for r in raw["snapshot_forecasts"] if r["label"] == label]
    snap_forecast = {
        deal_id: pick_current(subs)
        for deal_id, subs in submission_rows(snap_rows, None).items()
    }

    orders: dict[str, Decimal] = defaultdict(Decimal)
    for order in raw["orders"]:
        if (
            order["deal_id"]
            and month <= order["order_date"] < next_month
            and order["order_date"] <= as_of
        ):
            orders[order["deal_id"]] += order["net_value"]

    # (track, phase) → [(A_d, F_d)]
    pairs: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for deal in raw["snapshot_deals"]:
        if deal["label"] != label or deal["business_line"] != "integrated":
            continue
        phase = deal["effective_phase"]
        if phase not in PHASES:
            continue
        rows = snap_forecast.get(deal["deal_id"], [])
        if phase == "opportunity":
            forecast = order_amount(rows, month)
            actual = orders.get(deal["deal_id"], ZERO)
        else:
            forecast = forecast_sales(rows, month)
            actual = sales.get((deal["deal_id"], month), ZERO)
        pairs[(deal["track"], phase)].append((actual, forecast))

    result: dict[str | None, Row | None] = {}
    for subject in [None, *tracks]:
        figures: Row = {"month": label}
        weighted = ZERO
        for phase in PHASES:
            if subject is None:
                chosen = [p for (t, ph), ps in pairs.items() if ph == phase for p in ps]
            else:
                chosen = pairs.get((subject, phase), [])
            accuracy, bias = stage_accuracy(chosen)
            figures[phase] = accuracy
            figures[f"{phase}_bias"] = bias
            weighted += ACCURACY_WEIGHTS[phase] * accuracy
        figures["weighted"] = weighted
        result[subject] = figures
    return result


def integrated_board(raw: RawTables, as_of: date) -> Row:
    """The "integrated" object: total and every track (SPEC §4 table, §7)."""
    year, m0 = as_of.year, as_of.month
    remaining = 13 - m0
    closed = months_of(year, 1, m0 - 1)
    open_months = months_of(year, m0, 12)
    current = current_forecasts(raw, as_of)
    sales = actual_sales(raw, as_of)

    deals = [d for d in raw["deals"] if d["business_line"] == "integrated"]
    targets = [
        t
        for t in raw["targets"]
        if t["year"] == year
        and t["business_line"] == "integrated"
        and t["metric"] == "sales"
    ]
    # The tracks on the board: those of deals that count (docs/rules.md: Lost
    # deals count nowhere) and those with a sales target of Y.
    counted = [d for d in deals if effective_phase(d["phase"], d["stage"]) != "lost"]
    tracks = sorted(
        {d["track"] for d in counted} | {t["track"] for t in targets} - {""}
    )

    # Per deal: effective phase, E, the open-month forecast, converted or not.
    per_deal: list[Row] = []
    for deal in deals:
        phase = effective_phase(deal["phase"], deal["stage"])
        if phase == "lost":
            continue
        rows = current.get(deal["deal_id"], [])
        actual_part = sum((sales.get((deal["deal_id"], m), ZERO) for m in closed), ZERO)
        open_part = sum((forecast_sales(rows, m) for m in open_months), ZERO)
        secured = deal["secured_on"]
        per_deal.append(
            {
                "track": deal["track"],
                "phase": phase,
                "stage": deal["stage"],
                "E": actual_part + open_part,
                "open": open_part,
                "converted": secured is not None
                and secured.year == year
                and secured.month == m0
                and secured <= as_of,
            }
        )

    accuracy = accuracy_by_subject(raw, as_of, tracks)

    def metrics(track: str | None) -> Row:
        mine = [d for d in per_deal if track is None or d["track"] == track]
        target = sum(
            (t["amount"] for t in targets if track is None or t["track"] == track),
            ZERO,
        )
        mp = sum((d["E"] for d in mine if d["phase"] == "mass_production"), ZERO)
        mold = sum((d["E"] for d in mine if d["phase"] == "mold_development"), ZERO)
        gap = target - mp - mold
        opportunities = [d for d in mine if d["phase"] == "opportunity"]
        pipeline = sum((d["open"] for d in opportunities), ZERO)
        weighted = sum(
            (d["open"] * STAGE_WEIGHTS[d["stage"]] for d in opportunities), ZERO
        )
        coverage = ratio(weighted, gap) if gap > 0 else None
        healthy = gap <= 0 or (coverage is not None and coverage >= COVERAGE_THRESHOLD)
        return {
            "target": target,
            "mp_expected": mp,
            "mold_expected": mold,
            "gap": gap,
            "pipeline": pipeline,
            "weighted_pipeline": weighted,
            "coverage": coverage,
            "coverage_status": "healthy" if healthy else "alert",
            "monthly_pace": ratio(max(gap, ZERO), Decimal(remaining)),
            "converted_this_month": sum((d["E"] for d in mine if d["converted"]), ZERO),
            "accuracy": accuracy[track],
        }

    return {"total": metrics(None), "tracks": {t: metrics(t) for t in tracks}}


def commodity_board(raw: RawTables, as_of: date) -> Row:
    """The "commodity" object: order attainment year to date (SPEC §4, §7)."""
    year, m0 = as_of.year, as_of.month
    targets = [
        t
        for t in raw["targets"]
        if t["year"] == year
        and t["business_line"] == "commodity"
        and t["metric"] == "orders"
        and 1 <= t["month"] <= m0
    ]
    orders = [
        o
        for o in raw["orders"]
        if o["business_line"] == "commodity"
        and date(year, 1, 1) <= o["order_date"] <= as_of
    ]
    all_targets = [
        t
        for t in raw["targets"]
        if t["year"] == year
        and t["business_line"] == "commodity"
        and t["metric"] == "orders"
    ]

    def figures(target: Decimal, booked: Decimal) -> Row:
        attainment = ratio(booked, target) if target != 0 else None
        return {
            "order_target_ytd": target,
            "orders_ytd": booked,
            "order_attainment_ytd": attainment,
        }

    def total_target() -> Decimal:
        # decisions.md: manager rows, else profit-centre rows, else unsplit rows.
        year_rows = all_targets
        by_manager = [t for t in year_rows if t["account_manager"]]
        if by_manager:
            chosen = [t for t in targets if t["account_manager"]]
        elif [t for t in year_rows if t["profit_center"]]:
            chosen = [t for t in targets if t["profit_center"]]
        else:
            chosen = targets
        return sum((t["amount"] for t in chosen), ZERO)

    managers = sorted(
        {t["account_manager"] for t in all_targets if t["account_manager"]}
        | {o["account_manager"] for o in orders if o["account_manager"]}
    )
    centers = sorted(
        {t["profit_center"] for t in all_targets if t["profit_center"]}
        | {o["profit_center"] for o in orders if o["profit_center"]}
    )

    def by(key: str, name: str) -> Row:
        target = sum((t["amount"] for t in targets if t[key] == name), ZERO)
        booked = sum((o["net_value"] for o in orders if o[key] == name), ZERO)
        return figures(target, booked)

    return {
        "total": figures(total_target(), sum((o["net_value"] for o in orders), ZERO)),
        "account_managers": {n: by("account_manager", n) for n in managers},
        "profit_centers": {n: by("profit_center", n) for n in centers},
    }


def oracle_board(raw: RawTables, as_of: date) -> Row:
    """The whole `forecast board --json` object, unrounded."""
    return {
        "as_of": as_of.isoformat(),
        "year": as_of.year,
        "remaining_months": 13 - as_of.month,
        "integrated": integrated_board(raw, as_of),
        "commodity": commodity_board(raw, as_of),
    }
