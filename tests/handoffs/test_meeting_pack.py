"""The monthly meeting pack: figures of the latest snapshot, changes, PDF and XLSX."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from handoffs.meeting_pack import (
    build_meeting_pack,
    format_from_path,
    gather_pack,
    snapshot_changes,
)
from rules.settings import load_settings
from warehouse import Warehouse
from warehouse.alerts import run_check
from warehouse.errors import ForecastError, NotFound
from warehouse.snapshots import take_snapshot
from warehouse.users import OPERATOR, Actor

MADE_ON = date(2026, 3, 10)
SHEETS = ["概览", "赛道", "准确率", "告警", "商品模接单", "快照变化"]


@pytest.fixture
def two_snapshots(rows, warehouse: Warehouse) -> None:
    """Snapshots 2026-02 (as of 02-02) and 2026-03 (as of 03-02) of track 汽车.

    Target: 1,000,000 a month for 2026, 12,000,000 in all.
    A  opportunity: order month 2026-05 → 2026-04 (pulled in); 2026 sales
       500,000 → 800,000 (grown).
    B  mass_production: product sales 100,000 a month, Mar–Dec, unchanged.
    C  opportunity created after the first snapshot (new), named like a formula.
    D  opportunity in 2026-02, Lost by 2026-03 (lost).
    """
    for month in range(1, 13):
        rows.target(2026, month, "1000000", track="汽车")

    rows.deal("A", stage="M Potential")
    rows.deal("B", phase="mass_production", stage="Secured", project_id="P-B")
    rows.deal("D", stage="L Potential")
    january = datetime(2026, 1, 15)
    rows.forecast("A", "rolling", january, date(2026, 5, 1), order_amount="1000000")
    rows.forecast("A", "rolling", january, date(2026, 6, 1), mold_sales="500000")
    for month in range(3, 13):
        rows.forecast(
            "B", "rolling", january, date(2026, month, 1), product_sales="100000"
        )
    rows.forecast("D", "rolling", january, date(2026, 7, 1), order_amount="200000")
    take_snapshot(warehouse, "2026-02", as_of=date(2026, 2, 2))

    february = datetime(2026, 2, 20)
    rows.forecast("A", "rolling", february, date(2026, 4, 1), order_amount="1000000")
    rows.forecast("A", "rolling", february, date(2026, 6, 1), mold_sales="800000")
    rows.deal("C", deal_name="=cmd|' /C calc'!A0", created_on=date(2026, 2, 10))
    rows.forecast("C", "rolling", february, date(2026, 9, 1), order_amount="300000")
    with warehouse.cursor() as cur:
        cur.execute("UPDATE deals SET stage = 'Lost' WHERE deal_id = 'D'")
    take_snapshot(warehouse, "2026-03", as_of=date(2026, 3, 2))


def test_snapshot_changes_between_two_snapshots(
    warehouse: Warehouse, two_snapshots: None
) -> None:
    with warehouse.cursor() as cur:
        changes = snapshot_changes(cur, "2026-03", "2026-02", OPERATOR)

    got = {
        (r["change"], r["deal_id"], r["sales_before"], r["sales_after"])
        for r in changes.iter_rows(named=True)
    }
    assert got == {
        ("pulled_in", "A", Decimal("500000.00"), Decimal("800000.00")),
        ("grown", "A", Decimal("500000.00"), Decimal("800000.00")),
        ("new", "C", None, Decimal("0.00")),
        ("lost", "D", Decimal("0.00"), Decimal("0.00")),
    }
    pulled = changes.filter(pl.col("change") == "pulled_in").row(0, named=True)
    assert (pulled["order_month_before"], pulled["order_month_after"]) == (
        date(2026, 5, 1),
        date(2026, 4, 1),
    )
    # 800,000 − 500,000
    grown = changes.filter(pl.col("change") == "grown").row(0, named=True)
    assert grown["sales_change"] == Decimal("300000.00")


def test_snapshot_changes_scoped_to_actor(
    warehouse: Warehouse, two_snapshots: None
) -> None:
    with warehouse.cursor() as cur:
        other = snapshot_changes(
            cur, "2026-03", "2026-02", Actor("x", "track_director", tracks=("医疗",))
        )

    assert other.height == 0


def test_gather_pack_states_latest_snapshot_before_day(
    warehouse: Warehouse, two_snapshots: None
) -> None:
    with warehouse.cursor() as cur:
        data = gather_pack(cur, MADE_ON, load_settings(), OPERATOR)
        earlier = gather_pack(cur, date(2026, 2, 28), load_settings(), OPERATOR)

    assert (data.snapshot_label, data.snapshot_as_of, data.previous_label) == (
        "2026-03",
        date(2026, 3, 2),
        "2026-02",
    )
    assert "快照 2026-03（数据截至 2026-03-02）" in data.subtitle
    assert data.board.as_of == date(2026, 3, 2)
    assert (earlier.snapshot_label, earlier.previous_label) == ("2026-02", None)


def test_gather_pack_without_snapshot_not_found(warehouse: Warehouse) -> None:
    with warehouse.cursor() as cur, pytest.raises(NotFound, match="snapshot"):
        gather_pack(cur, MADE_ON, load_settings(), OPERATOR)


def test_pack_xlsx_sheets_numbers_and_neutralised_names(
    warehouse: Warehouse, two_snapshots: None, tmp_path: Path
) -> None:
    run_check(warehouse, MADE_ON, load_settings())
    path = tmp_path / "pack.xlsx"
    path.write_bytes(
        build_meeting_pack(warehouse, MADE_ON, load_settings(), OPERATOR, "xlsx")
    )

    sheets = pl.read_excel(path, sheet_id=0, has_header=False)
    assert list(sheets) == SHEETS

    overview = sheets["概览"]
    figures = {
        row[0]: (row[1], row[2])
        for row in overview.slice(4).iter_rows()
        if row[0] is not None
    }
    # As of 2026-03-02: B's open months Mar–Dec, 10 × 100,000 = 1,000,000;
    # gap = 12,000,000 − 1,000,000 − 0 = 11,000,000 (1,100 万元).
    assert figures["量产预计收入"] == ("1000000", "100")
    assert figures["剩余缺口"] == ("11000000", "1100")

    changes = pl.read_excel(path, sheet_name="快照变化", read_options={"header_row": 3})
    assert set(zip(changes["变化"], changes["商机编号"], strict=True)) == {
        ("接单提前", "A"),
        ("金额增加", "A"),
        ("新增商机", "C"),
        ("丢单", "D"),
    }
    names = dict(zip(changes["商机编号"], changes["商机名称"], strict=True))
    assert names["C"] == "'=cmd|' /C calc'!A0"

    alerts = pl.read_excel(path, sheet_name="告警", read_options={"header_row": 3})
    assert "机会池覆盖率不足" in set(alerts["告警类型"])


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None,
    reason="needs Debian chromium and poppler-utils (see .ci/run)",
)
def test_pack_pdf_has_pages_charts_and_chinese(
    warehouse: Warehouse, two_snapshots: None, tmp_path: Path
) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(
        build_meeting_pack(warehouse, MADE_ON, load_settings(), OPERATOR, "pdf")
    )

    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = int(
        next(line for line in info.splitlines() if line.startswith("Pages:"))[6:]
    )

    assert pages >= 2
    assert "销售督导例会 月度材料" in text
    assert "快照 2026-03" in text
    assert "剩余缺口" in text
    assert "1,100.00 万元" in text  # the gap of the test above, in the cards
    assert "年度目标" in text  # an axis label of the waterfall chart
    assert "=cmd" in text  # the deal name shown as text in the changes table


@pytest.mark.parametrize(("name", "fmt"), [("a.pdf", "pdf"), ("B.XLSX", "xlsx")])
def test_format_from_path_pack(name: str, fmt: str) -> None:
    assert format_from_path(name) == fmt


def test_format_from_path_pack_refuses_csv() -> None:
    with pytest.raises(ForecastError, match=r"\.pdf or \.xlsx"):
        format_from_path("pack.csv")


def test_cli_pack_xlsx(
    run_cli, warehouse: Warehouse, two_snapshots: None, tmp_path: Path
) -> None:
    out = tmp_path / "pack.xlsx"
    warehouse.close()

    result = run_cli("pack", "--as-of", "2026-03-10", "--out", str(out))

    assert result.code == 0, result.err
    assert list(pl.read_excel(out, sheet_id=0, has_header=False)) == SHEETS


def test_cli_pack_without_snapshot_exit_1(run_cli, tmp_path: Path) -> None:
    result = run_cli("pack", "--as-of", "2026-03-10", "--out", str(tmp_path / "p.xlsx"))

    assert result.code == 1
    assert "forecast snapshot" in result.err
