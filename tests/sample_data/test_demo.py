"""The sample warehouse `forecast demo` builds: it loads, and tells its story.

The sample is built once per session (conftest.built_sample) with the CLI; the
tests read it with plain SQL, from the SPEC's definitions, never through the
product's own rules.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from cli.main import main
from warehouse import Warehouse
from warehouse.demo import SAMPLE_AS_OF, SAMPLE_DIR, build_sample
from warehouse.errors import NotFound

EXTRACT_FILES = [
    p for p in SAMPLE_DIR.rglob("*") if p.is_file() and p.name != "users.csv"
]


def one(
    con: duckdb.DuckDBPyConnection, query: str, params: list[Any] | None = None
) -> Any:
    row = con.execute(query, params or []).fetchone()
    assert row is not None
    return row[0]


def test_demo_prints_what_it_built(built_sample: Any) -> None:
    assert built_sample.code == 0, built_sample.err
    assert f"导入文件 {len(EXTRACT_FILES)} 个" in built_sample.out
    assert "月度快照 11 个" in built_sample.out
    assert SAMPLE_AS_OF.isoformat() in built_sample.out


def test_demo_loads_every_file_cleanly(sample: duckdb.DuckDBPyConnection) -> None:
    outcomes = sample.execute(
        "SELECT outcome, count(*) FROM load_log GROUP BY outcome"
    ).fetchall()

    assert outcomes == [("loaded", len(EXTRACT_FILES))]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "已有"), ("en", "already holds")],
)
def test_demo_twice_refuses_second_run(
    built_sample: Any, lang: str, expected: str
) -> None:
    def counts() -> tuple[int, int, int]:
        with duckdb.connect(str(built_sample.path), read_only=True) as con:
            return (
                one(con, "SELECT count(*) FROM deals"),
                one(con, "SELECT count(*) FROM load_log"),
                one(con, "SELECT count(*) FROM audit_log"),
            )

    before = counts()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(built_sample.path), "--lang", lang, "demo"])

    assert code == 1
    assert expected in err.getvalue() and str(built_sample.path) in err.getvalue()
    assert counts() == before


def test_build_sample_without_sample_files_names_the_folder(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(NotFound, match="generate.py") as raised:
        build_sample(warehouse, source=tmp_path)

    assert str(tmp_path) in raised.value.zh
    with warehouse.cursor() as cur:
        assert one(cur, "SELECT count(*) FROM users") == 0


@pytest.mark.parametrize(
    ("what", "query", "at_least"),
    [
        ("deals", "SELECT count(*) FROM deals", 300),
        (
            "integrated tracks",
            "SELECT count(DISTINCT track) FROM deals"
            " WHERE business_line = 'integrated'",
            4,
        ),
        ("account managers", "SELECT count(DISTINCT account_manager) FROM deals", 12),
        (
            "commodity deals",
            "SELECT count(*) FROM deals WHERE business_line = 'commodity'",
            50,
        ),
        (
            "won deals that carry a project",
            "SELECT count(*) FROM deals"
            " WHERE stage = 'Secured' AND coalesce(project_id, '') <> ''",
            50,
        ),
        (
            "deals just won, project not yet created",
            "SELECT count(*) FROM deals"
            " WHERE stage = 'Secured' AND phase = 'opportunity'",
            1,
        ),
        (
            "shipments matched only through the deal's project",
            "SELECT count(*) FROM shipments s WHERE s.deal_id = ''"
            " AND s.project_id IN (SELECT project_id FROM deals)",
            1,
        ),
        (
            "shipments for projects no deal carries",
            "SELECT count(*) FROM shipments s WHERE s.deal_id = ''"
            " AND s.project_id NOT IN (SELECT project_id FROM deals"
            "   WHERE project_id IS NOT NULL)",
            1,
        ),
        (
            "shipments by deal",
            "SELECT count(*) FROM shipments WHERE deal_id <> ''",
            1,
        ),
        (
            "plan shipments",
            "SELECT count(*) FROM shipments WHERE plan_or_actual = 'plan'",
            1,
        ),
        (
            "SAP orders of both lines with a deal",
            "SELECT count(DISTINCT business_line) FROM orders WHERE deal_id <> ''",
            2,
        ),
        (
            "SAP orders without a deal",
            "SELECT count(*) FROM orders WHERE coalesce(deal_id, '') = ''",
            1,
        ),
        (
            "order targets by account manager",
            "SELECT count(*) FROM targets"
            " WHERE metric = 'orders' AND account_manager <> ''",
            12,
        ),
        (
            "order targets by profit center",
            "SELECT count(*) FROM targets"
            " WHERE metric = 'orders' AND profit_center <> ''",
            12,
        ),
        (
            "WIP plan rows revised in July (latest wins, history kept)",
            "SELECT (SELECT count(*) FROM wip_plan_versions)"
            " - (SELECT count(*) FROM wip_plan)",
            1,
        ),
        (
            "precision versions",
            "SELECT count(DISTINCT deal_id) FROM forecasts WHERE version = 'precision'",
            20,
        ),
        (
            "columns the product does not use, kept aside",
            "SELECT count(*) FROM load_extras",
            1,
        ),
    ],
)
def test_sample_holds(
    sample: duckdb.DuckDBPyConnection, what: str, query: str, at_least: int
) -> None:
    assert one(sample, query) >= at_least, what


def test_sample_has_every_line_phase_and_stage(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    def values(column: str) -> set[str]:
        query = f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM deals"
        return {v for (v,) in sample.execute(query).fetchall()}

    assert values("business_line") == {"integrated", "commodity"}
    assert values("phase") == {"opportunity", "mold_development", "mass_production"}
    assert values("stage") == {
        "L Potential",
        "M Potential",
        "H Potential",
        "Secured",
        "Lost",
    }


def test_sample_commodity_forecasts_only_orders(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    sales = one(
        sample,
        "SELECT sum(f.mold_sales + f.product_sales) FROM forecasts f"
        " JOIN deals d USING (deal_id) WHERE d.business_line = 'commodity'",
    )
    orders = one(
        sample,
        "SELECT sum(f.order_amount) FROM forecasts f"
        " JOIN deals d USING (deal_id) WHERE d.business_line = 'commodity'",
    )

    assert sales == 0 and orders > 0


def test_sample_has_no_fact_after_its_as_of_date(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    latest = sample.execute(
        "SELECT (SELECT max(submitted_at) FROM forecasts)::DATE,"
        " (SELECT max(quoted_on) FROM quotes),"
        " (SELECT max(order_date) FROM orders),"
        " (SELECT max(created_on) FROM deals),"
        " (SELECT max(month) FROM shipments WHERE plan_or_actual = 'actual')"
    ).fetchone()

    assert latest is not None
    assert all(d <= SAMPLE_AS_OF for d in latest)


def test_sample_snapshots_freeze_each_month(sample: duckdb.DuckDBPyConnection) -> None:
    snapshots = sample.execute(
        "SELECT label, as_of, deal_count FROM snapshots ORDER BY label"
    ).fetchall()
    created_by = {
        as_of: one(sample, "SELECT count(*) FROM deals WHERE created_on <= ?", [as_of])
        for _, as_of, _ in snapshots
    }
    # Deals whose stage in the June snapshot is not the stage they have now.
    moved_on = one(
        sample,
        "SELECT count(*) FROM snapshot_deals s JOIN deals d USING (deal_id)"
        " WHERE s.label = '2026-06' AND s.stage <> d.stage",
    )

    assert [label for label, _, _ in snapshots] == [
        f"2026-{m:02d}" for m in range(1, 12)
    ]
    assert [as_of for _, as_of, _ in snapshots] == [
        date(2026, m, 5) for m in range(1, 12)
    ]
    assert [count for _, as_of, count in snapshots] == [
        created_by[as_of] for _, as_of, _ in snapshots
    ]
    assert moved_on > 10


def test_sample_baseline_taken_in_january(sample: duckdb.DuckDBPyConnection) -> None:
    baselines = sample.execute("SELECT year, as_of FROM baselines").fetchall()

    assert baselines == [(2026, date(2026, 1, 10))]


def test_sample_users_cover_every_role(sample: duckdb.DuckDBPyConnection) -> None:
    users = sample.execute("SELECT name, role, tracks, account_manager FROM users")
    found = users.fetchall()
    crm_managers = {
        m
        for (m,) in sample.execute(
            "SELECT DISTINCT account_manager FROM deals"
        ).fetchall()
    }
    integrated_tracks = {
        t
        for (t,) in sample.execute(
            "SELECT DISTINCT track FROM deals WHERE business_line = 'integrated'"
        ).fetchall()
    }

    assert {role for _, role, _, _ in found} == {
        "ceo",
        "admin",
        "analyst",
        "track_director",
        "account_manager",
    }
    directed = [
        t for _, role, tracks, _ in found if role == "track_director" for t in tracks
    ]
    assert sorted(directed) == sorted(integrated_tracks)
    managers = {am for _, role, _, am in found if role == "account_manager"}
    assert managers == crm_managers


def test_sample_is_marked_with_its_as_of_date(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    info = dict(sample.execute("SELECT key, value FROM warehouse_info").fetchall())

    assert info["sample"] == "true"
    assert info["sample_as_of"] == "2026-11-27"


# Each precision submission against the rolling submission current at its
# submitted_at (SPEC §5): identical, or its direction from total sales, then
# order amount.
VERSION_DIFFERENCES = """
WITH precision AS (
    SELECT DISTINCT deal_id, submitted_at FROM forecasts WHERE version = 'precision'
), paired AS (
    SELECT p.deal_id, p.submitted_at AS precision_at, max(r.submitted_at) AS rolling_at
    FROM precision p
    JOIN forecasts r ON r.deal_id = p.deal_id AND r.version = 'rolling'
        AND r.submitted_at <= p.submitted_at
    GROUP BY ALL
), months AS (
    SELECT p.deal_id, f.version, f.month, f.order_amount, f.mold_sets,
           f.mold_sales, f.product_sales
    FROM paired p JOIN forecasts f ON f.deal_id = p.deal_id
        AND ((f.version = 'precision' AND f.submitted_at = p.precision_at)
          OR (f.version = 'rolling' AND f.submitted_at = p.rolling_at))
), totals AS (
    SELECT deal_id,
        sum(mold_sales + product_sales) FILTER (WHERE version = 'precision') AS p_sales,
        sum(mold_sales + product_sales) FILTER (WHERE version = 'rolling') AS r_sales,
        sum(order_amount) FILTER (WHERE version = 'precision') AS p_orders,
        sum(order_amount) FILTER (WHERE version = 'rolling') AS r_orders,
        list((month, order_amount, mold_sets, mold_sales, product_sales)
             ORDER BY month) FILTER (WHERE version = 'precision') AS p_rows,
        list((month, order_amount, mold_sets, mold_sales, product_sales)
             ORDER BY month) FILTER (WHERE version = 'rolling') AS r_rows
    FROM months GROUP BY deal_id
)
SELECT CASE
    WHEN p_rows = r_rows THEN 'identical'
    WHEN p_sales < r_sales THEN 'shortfall'
    WHEN p_sales > r_sales THEN 'upside'
    WHEN p_orders < r_orders THEN 'shortfall'
    WHEN p_orders > r_orders THEN 'upside'
    ELSE 'reshaped' END AS kind, count(*)
FROM totals GROUP BY kind
"""


def test_sample_precision_versions_some_identical_most_not(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    kinds = dict(sample.execute(VERSION_DIFFERENCES).fetchall())
    differing = kinds["shortfall"] + kinds["upside"] + kinds["reshaped"]

    assert set(kinds) == {"identical", "shortfall", "upside", "reshaped"}
    assert differing > kinds["identical"] > 0


# For each deal with three or more rolling revisions: its first and its last
# revision, summed over the months the last one still covers.
DRIFT = """
WITH subs AS (
    SELECT deal_id, submitted_at, month,
           order_amount + mold_sales + product_sales AS amount
    FROM forecasts WHERE version = 'rolling'
), ends AS (
    SELECT deal_id, min(submitted_at) AS first_at, max(submitted_at) AS last_at
    FROM subs GROUP BY deal_id HAVING count(DISTINCT submitted_at) >= 3
), last_window AS (
    SELECT e.deal_id, min(s.month) AS from_month
    FROM ends e JOIN subs s ON s.deal_id = e.deal_id AND s.submitted_at = e.last_at
    GROUP BY e.deal_id
), compared AS (
    SELECT e.deal_id,
        sum(s.amount) FILTER (WHERE s.submitted_at = e.first_at) AS first_total,
        sum(s.amount) FILTER (WHERE s.submitted_at = e.last_at) AS last_total
    FROM ends e JOIN last_window w USING (deal_id)
    JOIN subs s ON s.deal_id = e.deal_id AND s.month >= w.from_month
    GROUP BY e.deal_id
)
SELECT count(*),
       count(*) FILTER (WHERE last_total < first_total),
       count(*) FILTER (WHERE last_total > first_total)
FROM compared
"""


def test_sample_rolling_forecasts_drift_down(sample: duckdb.DuckDBPyConnection) -> None:
    row = sample.execute(DRIFT).fetchone()
    assert row is not None
    deals, shrunk, grew = row

    assert shrunk >= 0.4 * deals
    assert shrunk > 2 * grew


def test_sample_november_booking_without_h_potential_quote(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    # SPEC §5 no_h_potential_by_25th at 2026-11-27: an opportunity whose current
    # forecast books an order in November, with no quote at H Potential or later.
    caught = sample.execute(
        """
        SELECT d.deal_id
        FROM deals d JOIN current_forecast(?) cf USING (deal_id)
        WHERE d.business_line = 'integrated'
          AND effective_phase(d.phase, d.stage) = 'opportunity'
          AND cf.month = DATE '2026-11-01' AND cf.order_amount > 0
          AND NOT EXISTS (
              SELECT 1 FROM quotes q
              WHERE q.deal_id = d.deal_id AND q.quoted_on <= ?
                AND q.stage IN ('H Potential', 'Secured'))
        """,
        [SAMPLE_AS_OF, SAMPLE_AS_OF],
    ).fetchall()

    assert len(caught) >= 1


def test_sample_one_commodity_manager_well_below_order_target(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    # Order attainment YTD (SPEC §4): orders dated <= D against targets of months
    # 1..M0 (M0 = 11).
    attainment = dict(
        sample.execute(
            """
            WITH target AS (
                SELECT account_manager, sum(amount) AS amount FROM targets
                WHERE year = 2026 AND business_line = 'commodity'
                  AND metric = 'orders' AND account_manager <> '' AND month <= 11
                GROUP BY ALL
            ), ordered AS (
                SELECT account_manager, sum(net_value) AS amount FROM orders
                WHERE business_line = 'commodity' AND order_date <= ?
                GROUP BY ALL
            )
            SELECT t.account_manager, coalesce(o.amount, 0) / t.amount
            FROM target t LEFT JOIN ordered o USING (account_manager)
            """,
            [SAMPLE_AS_OF],
        ).fetchall()
    )
    below = [name for name, ratio in attainment.items() if ratio < Decimal("0.8")]

    assert below == ["胡斌"]
    assert attainment["胡斌"] < Decimal("0.6")


@pytest.mark.parametrize(
    ("manager", "track"), [("王磊", "汽车"), ("刘洋", "医疗"), ("孙强", "工业")]
)
def test_sample_account_manager_board_has_own_sales_target(
    built_sample: Any, manager: str, track: str
) -> None:
    # An account manager is measured against the integrated sales targets of
    # 2026 that name them (docs/rules.md, scope): Σ of those rows in the file
    # the sample loaded, all twelve months.
    frame = pl.read_excel(SAMPLE_DIR / "targets.xlsx").filter(
        pl.col("业务类型") == "模塑一体",
        pl.col("指标") == "销售",
        pl.col("客户经理") == manager,
    )
    expected = sum((Decimal(str(a)) for a in frame["目标金额"]), Decimal(0))

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            ["--db", str(built_sample.path), "--user", manager, "board"]
            + ["--as-of", SAMPLE_AS_OF.isoformat(), "--json"]
        )
    integrated = json.loads(out.getvalue(), parse_float=Decimal)["integrated"]

    assert code == 0, err.getvalue()
    assert expected > 0
    assert integrated["total"]["target"] == expected
    assert set(integrated["tracks"]) == {track}
    assert integrated["tracks"][track]["target"] == expected


# Coverage per integrated track at 2026-11-27 (SPEC §4): E = actual sales of the
# closed months 1..10 (actual shipments by deal_id, or through the deal's
# project_id when the row names no known deal) + current forecast sales of the
# open months 11..12; gap = target - E(mass production, mold development);
# coverage = weighted pipeline (opportunities, weights .25/.5/.75) / gap.
COVERAGE = """
WITH d AS (
    SELECT deal_id, track, project_id, stage,
           effective_phase(phase, stage) AS phase
    FROM deals WHERE business_line = 'integrated'
), shipped AS (
    SELECT coalesce(by_deal.deal_id, by_project.deal_id) AS deal_id, s.amount
    FROM shipments s
    LEFT JOIN d AS by_deal ON by_deal.deal_id = s.deal_id
    LEFT JOIN d AS by_project ON by_deal.deal_id IS NULL
        AND s.project_id <> '' AND by_project.project_id = s.project_id
    WHERE s.plan_or_actual = 'actual' AND month(s.month) <= 10
), actual AS (
    SELECT deal_id, sum(amount) AS amount FROM shipped GROUP BY deal_id
), open AS (
    SELECT deal_id, sum(mold_sales + product_sales) AS amount
    FROM current_forecast(DATE '2026-11-27') WHERE month(month) >= 11
    GROUP BY deal_id
), per_track AS (
    SELECT d.track,
        sum(coalesce(a.amount, 0) + coalesce(o.amount, 0))
            FILTER (WHERE d.phase IN ('mass_production', 'mold_development'))
            AS committed,
        sum(coalesce(o.amount, 0) * CASE d.stage WHEN 'L Potential' THEN 0.25
            WHEN 'M Potential' THEN 0.50 ELSE 0.75 END)
            FILTER (WHERE d.phase = 'opportunity') AS weighted_pipeline
    FROM d LEFT JOIN actual a USING (deal_id) LEFT JOIN open o USING (deal_id)
    GROUP BY d.track
), target AS (
    SELECT track, sum(amount) AS amount FROM targets
    WHERE year = 2026 AND business_line = 'integrated' AND metric = 'sales'
    GROUP BY track
)
SELECT p.track, t.amount - p.committed AS gap,
       coalesce(p.weighted_pipeline, 0) AS weighted_pipeline
FROM per_track p JOIN target t USING (track)
"""


def test_sample_one_track_short_of_coverage(sample: duckdb.DuckDBPyConnection) -> None:
    status = {}
    for track, gap, weighted in sample.execute(COVERAGE).fetchall():
        healthy = gap <= 0 or weighted / gap >= Decimal("1.5")
        status[track] = "healthy" if healthy else "alert"

    assert status == {
        "汽车": "healthy",
        "医疗": "alert",
        "消费电子": "healthy",
        "智能家居": "healthy",
        "工业": "healthy",
    }
