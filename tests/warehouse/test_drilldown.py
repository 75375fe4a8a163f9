"""warehouse.drilldown: the dashboard's read queries, on small hand-built warehouses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from warehouse import Warehouse, drilldown
from warehouse.errors import ForecastError, NotFound, PermissionDenied
from warehouse.users import OPERATOR, Actor

AS_OF = date(2026, 3, 10)
D = Decimal
DIRECTOR = Actor(name="总监甲", role="track_director", tracks=("汽车",))
OTHER_DIRECTOR = Actor(name="总监乙", role="track_director", tracks=("医疗",))
MANAGER = Actor(name="张伟", role="account_manager", account_manager="张伟")


def add_deal(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    *,
    track: str = "汽车",
    manager: str = "张伟",
    phase: str = "opportunity",
    stage: str = "M Potential",
    line: str = "integrated",
    customer: str = "客户甲",
    created_on: date = date(2026, 1, 2),
) -> None:
    cur.execute(
        "INSERT INTO deals (deal_id, deal_name, business_line, track, account_manager,"
        " customer, phase, stage, created_on, load_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [
            deal_id,
            f"{deal_id} 项目",
            line,
            track,
            manager,
            customer,
            phase,
            stage,
            created_on,
        ],
    )


def add_forecast(
    cur: duckdb.DuckDBPyConnection,
    deal_id: str,
    version: str,
    submitted_at: datetime,
    month: date,
    *,
    order: str = "0",
    mold: str = "0",
    product: str = "0",
    sets: int = 0,
) -> None:
    cur.execute(
        "INSERT INTO forecasts (deal_id, version, submitted_at, month, order_amount,"
        " mold_sets, mold_sales, product_sales, load_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [deal_id, version, submitted_at, month, D(order), sets, D(mold), D(product)],
    )


JAN, FEB, MAR, APR, MAY = (date(2026, m, 1) for m in range(1, 6))
ROLLING_AT = datetime(2026, 1, 5, 9, 0)
PRECISION_AT = datetime(2026, 2, 1, 10, 0)


@pytest.fixture
def versions(warehouse: Warehouse) -> Warehouse:
    """Three integrated deals with a rolling and a later precision submission.

    A: rolling Jan mold 100; precision Jan mold 60 + Feb product 20 → 80 − 100 = −20.
    B: rolling Jan mold 100; precision Feb mold 100 → totals equal, months differ.
    C: rolling Jan mold 100; precision Jan mold 150 → +50. E (commodity) is ignored.
    B belongs to another manager in another track.
    """
    with warehouse.transaction() as cur:
        add_deal(cur, "A")
        add_deal(cur, "B", track="医疗", manager="刘洋")
        add_deal(cur, "C")
        add_deal(cur, "E", line="commodity")
        for deal in ("A", "B", "C", "E"):
            add_forecast(cur, deal, "rolling", ROLLING_AT, JAN, mold="100")
        add_forecast(cur, "A", "precision", PRECISION_AT, JAN, mold="60")
        add_forecast(cur, "A", "precision", PRECISION_AT, FEB, product="20")
        add_forecast(cur, "B", "precision", PRECISION_AT, FEB, mold="100")
        add_forecast(cur, "C", "precision", PRECISION_AT, JAN, mold="150")
        add_forecast(cur, "E", "precision", PRECISION_AT, JAN, mold="10")
    return warehouse


def test_version_differences_direction_and_amount(versions: Warehouse) -> None:
    with versions.cursor() as cur:
        found = drilldown.version_differences(cur, AS_OF, OPERATOR)

    rows = {r["deal_id"]: r for r in found.iter_rows(named=True)}
    assert set(rows) == {"A", "B", "C"}
    assert (rows["A"]["direction"], rows["A"]["sales_difference"]) == (
        "shortfall",
        D(-20),
    )
    assert (rows["B"]["direction"], rows["B"]["sales_difference"]) == ("reshaped", D(0))
    assert (rows["C"]["direction"], rows["C"]["sales_difference"]) == ("upside", D(50))


def test_version_differences_scoped_to_manager(versions: Warehouse) -> None:
    with versions.cursor() as cur:
        found = drilldown.version_differences(cur, AS_OF, MANAGER)

    assert sorted(found["deal_id"]) == ["A", "C"]


def test_version_difference_months_side_by_side(versions: Warehouse) -> None:
    with versions.cursor() as cur:
        months = drilldown.version_difference_months(cur, "A", PRECISION_AT)

    assert months.select("month", "rolling_sales", "precision_sales").rows() == [
        (JAN, D(100), D(60)),
        (FEB, D(0), D(20)),
    ]


def test_version_difference_by_quarter_sums_and_counts(versions: Warehouse) -> None:
    with versions.cursor() as cur:
        found = drilldown.version_differences(cur, AS_OF, OPERATOR)

    quarters = drilldown.version_difference_by_quarter(found)

    # All three precision submissions are in Q1: −20 + 0 + 50 = 30.
    assert quarters.rows() == [(1, D(30), D(0), 3)]


def test_conversion_summary_win_rate_over_decided_deals(warehouse: Warehouse) -> None:
    with warehouse.transaction() as cur:
        add_deal(cur, "W", phase="mold_development", stage="Secured")
        add_deal(cur, "L", stage="Lost")
        add_deal(cur, "O")
        add_deal(cur, "X", track="医疗", created_on=date(2026, 4, 1))  # after D
        add_forecast(
            cur, "W", "rolling", ROLLING_AT, FEB, order="300", mold="120", product="80"
        )
        add_forecast(cur, "O", "rolling", ROLLING_AT, APR, order="500")

    with warehouse.cursor() as cur:
        deals = drilldown.conversion_deals(cur, AS_OF, OPERATOR)
    summary = drilldown.conversion_summary(deals, "track")

    row = summary.row(0, named=True)
    assert summary["track"].to_list() == ["汽车"]
    assert (row["won"], row["lost"], row["open"]) == (1, 1, 1)
    assert row["win_rate"] == pytest.approx(1 / 2)  # won ÷ (won + lost)
    assert row["order_amount"] == D(800)  # 300 + 500
    assert (
        row["won_order_amount"],
        row["won_mold_sales"],
        row["won_product_sales"],
    ) == (
        D(300),
        D(120),
        D(80),
    )


def snapshot(cur: duckdb.DuckDBPyConnection, label: str, deals: list[tuple]) -> None:
    """Freeze (deal_id, effective_phase, [(month, order, sales)]) rows under label."""
    for deal_id, phase, months in deals:
        stored_phase = "opportunity" if phase in ("opportunity", "lost") else phase
        stage = "Lost" if phase == "lost" else "M Potential"
        cur.execute(
            "INSERT INTO snapshot_deals (label, deal_id, business_line, track,"
            " account_manager, phase, stage, effective_phase, created_on)"
            " VALUES (?, ?, 'integrated', '汽车', '张伟', ?, ?, ?, DATE '2026-01-01')",
            [label, deal_id, stored_phase, stage, phase],
        )
        for month, order, sales in months:
            cur.execute(
                "INSERT INTO snapshot_forecasts"
                " VALUES (?, ?, 'rolling', ?, ?, ?, 0, ?, 0)",
                [label, deal_id, ROLLING_AT, month, D(order), D(sales)],
            )


def test_snapshot_changes_classify_each_deal_once(warehouse: Warehouse) -> None:
    before = [
        ("W", "opportunity", [(MAR, "10", "100")]),
        ("L", "opportunity", [(MAR, "10", "100")]),
        ("P", "opportunity", [(MAR, "10", "100")]),
        ("O", "opportunity", [(MAR, "10", "100")]),
        ("G", "mass_production", [(MAR, "0", "100")]),
        ("S", "mass_production", [(MAR, "0", "100")]),
        ("U", "mass_production", [(MAR, "0", "100")]),
    ]
    after = [
        ("N", "opportunity", [(APR, "10", "40")]),
        ("W", "mold_development", [(MAR, "10", "100")]),
        ("L", "lost", [(MAR, "10", "100")]),
        ("P", "opportunity", [(FEB, "10", "100")]),
        ("O", "opportunity", [(MAY, "10", "100")]),
        ("G", "mass_production", [(MAR, "0", "150")]),
        ("S", "mass_production", [(MAR, "0", "70")]),
        ("U", "mass_production", [(MAR, "0", "100")]),
    ]
    with warehouse.transaction() as cur:
        snapshot(cur, "2026-01", before)
        snapshot(cur, "2026-02", after)

    with warehouse.cursor() as cur:
        changes = drilldown.snapshot_changes(cur, "2026-01", "2026-02", OPERATOR)

    found = {
        r["deal_id"]: (r["change"], r["difference"])
        for r in changes.iter_rows(named=True)
    }
    assert found == {
        "N": ("new", D(40)),  # 40 − nothing
        "W": ("won", D(0)),
        "L": ("lost", D(-100)),  # a lost deal's value is gone
        "P": ("pulled_in", D(0)),
        "O": ("pushed_out", D(0)),
        "G": ("grown", D(50)),  # 150 − 100
        "S": ("shrunk", D(-30)),  # 70 − 100
    }
    by_track = drilldown.snapshot_changes_by_track(changes)
    assert by_track.filter(pl.col("change") == "grown").rows() == [
        ("汽车", "grown", 1, D(50))
    ]


def test_manager_summary_share_of_gap() -> None:
    money = pl.Decimal(18, 2)
    deals = pl.DataFrame(
        {
            "account_manager": ["张伟", "张伟", "刘洋", "刘洋"],
            "effective_phase": [
                "opportunity",
                "mass_production",
                "opportunity",
                "opportunity",
            ],
            "expected": [D(0), D(900), D(0), D(0)],
            "open_forecast_sales": [D(400), D(0), D(200), D(200)],
            "weighted_open_forecast": [D(300), D(0), D(100), D(100)],
            "order_amount_m0": [D(50), D(0), D(0), D(10)],
            "has_h_potential_quote": [True, False, False, False],
        },
        schema_overrides={
            "expected": money,
            "open_forecast_sales": money,
            "weighted_open_forecast": pl.Decimal(38, 6),
            "order_amount_m0": money,
        },
    )

    summary = drilldown.manager_summary(deals, D(1000), {"刘洋": 2})

    rows = {r["account_manager"]: r for r in summary.iter_rows(named=True)}
    # 张伟: weighted 300 ÷ gap 1,000 = 0.3; 刘洋: (100 + 100) ÷ 1,000 = 0.2.
    assert rows["张伟"]["gap_share"] == D("0.3")
    assert rows["刘洋"]["gap_share"] == D("0.2")
    assert (rows["张伟"]["mp_expected"], rows["张伟"]["pipeline"]) == (D(900), D(400))
    assert (rows["张伟"]["due_this_month"], rows["张伟"]["without_h_quote"]) == (1, 0)
    assert (rows["刘洋"]["due_this_month"], rows["刘洋"]["without_h_quote"]) == (1, 1)
    assert (rows["张伟"]["open_alerts"], rows["刘洋"]["open_alerts"]) == (0, 2)


def test_manager_summary_no_share_without_gap() -> None:
    deals = pl.DataFrame(
        {
            "account_manager": ["张伟"],
            "effective_phase": ["opportunity"],
            "expected": [D(0)],
            "open_forecast_sales": [D(100)],
            "weighted_open_forecast": [D(50)],
            "order_amount_m0": [D(0)],
            "has_h_potential_quote": [False],
        }
    )

    summary = drilldown.manager_summary(deals, D(-5), {})

    assert summary["gap_share"].to_list() == [None]


def test_record_review_note_by_director_is_audited(warehouse: Warehouse) -> None:
    note_id = drilldown.record_review_note(
        warehouse,
        DIRECTOR,
        review_month=date(2026, 3, 18),
        track="汽车",
        account_manager="张伟",
        kind="task",
        body="  月底前提交精度版。 ",
        due_on=date(2026, 3, 31),
    )

    with warehouse.cursor() as cur:
        notes = drilldown.review_notes(cur, "张伟", AS_OF, MANAGER)
        audit = cur.execute("SELECT action, subject FROM audit_log").fetchall()
    assert notes.select("note_id", "review_month", "kind", "body").rows() == [
        (note_id, date(2026, 3, 1), "task", "月底前提交精度版。")
    ]
    assert audit == [("review.note", "张伟")]


@pytest.mark.parametrize(
    ("actor", "kind", "body", "error"),
    [
        (OTHER_DIRECTOR, "note", "意见", PermissionDenied),
        (MANAGER, "note", "意见", PermissionDenied),
        (DIRECTOR, "note", "   ", ForecastError),
        (DIRECTOR, "memo", "意见", ForecastError),
    ],
)
def test_record_review_note_refused(
    warehouse: Warehouse, actor, kind, body, error
) -> None:
    with pytest.raises(error):
        drilldown.record_review_note(
            warehouse,
            actor,
            review_month=AS_OF,
            track="汽车",
            account_manager="张伟",
            kind=kind,
            body=body,
        )

    with warehouse.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM review_notes").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "statement", ["UPDATE review_notes SET body = 'x'", "DELETE FROM review_notes"]
)
def test_review_notes_are_append_only(warehouse: Warehouse, statement: str) -> None:
    drilldown.record_review_note(
        warehouse,
        OPERATOR,
        review_month=AS_OF,
        track="汽车",
        account_manager="张伟",
        kind="note",
        body="意见",
    )

    with warehouse.cursor() as cur, pytest.raises(duckdb.Error, match="append-only"):
        cur.execute(statement)


def test_review_notes_hidden_from_other_track_director(warehouse: Warehouse) -> None:
    drilldown.record_review_note(
        warehouse,
        DIRECTOR,
        review_month=AS_OF,
        track="汽车",
        account_manager="张伟",
        kind="note",
        body="意见",
    )

    with warehouse.cursor() as cur:
        assert drilldown.review_notes(cur, "张伟", AS_OF, OTHER_DIRECTOR).is_empty()


def test_deal_detail_refuses_deal_outside_scope(versions: Warehouse) -> None:
    with versions.cursor() as cur, pytest.raises(NotFound):
        drilldown.deal_detail(cur, "B", AS_OF, MANAGER)


def test_deal_detail_versions_side_by_side(versions: Warehouse) -> None:
    with versions.cursor() as cur:
        detail = drilldown.deal_detail(cur, "A", AS_OF, MANAGER)

    assert detail.deal["effective_phase"] == "opportunity"
    assert detail.forecasts.select(
        "month", "rolling_sales", "precision_sales"
    ).rows() == [
        (JAN, D(100), D(60)),
        (FEB, None, D(20)),  # the rolling submission has no February row
    ]


def test_data_version_changes_with_each_write(warehouse: Warehouse) -> None:
    with warehouse.cursor() as cur:
        before = drilldown.data_version(cur)

    drilldown.record_review_note(
        warehouse,
        OPERATOR,
        review_month=AS_OF,
        track="汽车",
        account_manager="张伟",
        kind="note",
        body="意见",
    )

    with warehouse.cursor() as cur:
        assert drilldown.data_version(cur) != before
