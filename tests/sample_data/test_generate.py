"""The sample generator: deterministic, and writing what the group's systems send."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"
COMMITTED = SAMPLE_DATA / "2026"


def relative_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator run again, as a user would, into a fresh folder."""
    out = tmp_path_factory.mktemp("regenerated") / "2026"
    subprocess.run(
        [sys.executable, str(SAMPLE_DATA / "generate.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def header(path: Path, encoding: str) -> list[str]:
    text = path.read_bytes().decode(encoding)
    return next(csv.reader(io.StringIO(text)))


def rows(path: Path, encoding: str) -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


def test_generate_rerun_writes_the_same_files(regenerated: Path) -> None:
    assert relative_files(regenerated) == relative_files(COMMITTED)


def test_generate_rerun_is_byte_identical(regenerated: Path) -> None:
    differing = [
        name
        for name in relative_files(COMMITTED)
        if (regenerated / name).read_bytes() != (COMMITTED / name).read_bytes()
    ]

    assert differing == []


@pytest.mark.parametrize(
    ("name", "encoding", "first_column"),
    [
        # Excel on Chinese Windows: GB18030, Chinese headers.
        ("03/05/deals.csv", "gb18030", "商机编号"),
        ("wip_plan.csv", "gb18030", "月份"),
        ("07/wip_plan.csv", "gb18030", "月份"),
        # The CRM's forecast export: UTF-8 with a byte-order mark.
        ("03/05/forecasts.csv", "utf-8-sig", "商机编号"),
        # APS / ERP / PM and SAP: plain UTF-8, English headers.
        ("03/shipments.csv", "utf-8", "month"),
        ("03/orders.csv", "utf-8", "Sales Document"),
    ],
)
def test_generate_csv_encoding_and_headers(
    name: str, encoding: str, first_column: str
) -> None:
    path = COMMITTED / name
    raw = path.read_bytes()

    assert header(path, encoding)[0] == first_column
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


def test_generate_orders_are_sap_style() -> None:
    path = COMMITTED / "06" / "orders.csv"
    found = rows(path, "utf-8")

    assert {"Sales Document", "Document Date", "Sold-To Party", "Net Value"} <= set(
        header(path, "utf-8")
    )
    assert {r["Currency"] for r in found} == {"CNY"}
    assert any("," in r["Net Value"] for r in found)  # thousands separators
    assert any(r["deal_id"] for r in found) and any(not r["deal_id"] for r in found)


def test_generate_dates_come_in_mixed_formats() -> None:
    deals = rows(COMMITTED / "11" / "27" / "deals.csv", "gb18030")
    plan = rows(COMMITTED / "wip_plan.csv", "gb18030")

    assert all("/" in d["创建日期"] for d in deals)  # 2026/3/5
    assert any("年" in d["计划量产日期"] and "日" in d["计划量产日期"] for d in deals)
    assert all(p["月份"].endswith("月") for p in plan)  # 2026年3月


@pytest.mark.parametrize(
    ("name", "date_column"),
    [("05/31/quotes.xlsx", "报价日期"), ("targets.xlsx", None)],
)
def test_generate_xlsx_files_open_with_real_cells(
    name: str, date_column: str | None
) -> None:
    path = COMMITTED / name
    assert zipfile.is_zipfile(path)

    frame = pl.read_excel(path)

    assert frame.height > 0
    if date_column:
        assert frame.schema[date_column].is_temporal()


def test_generate_targets_split_three_ways() -> None:
    frame = pl.read_excel(COMMITTED / "targets.xlsx")

    sales = frame.filter(pl.col("指标") == "销售")
    by_manager = frame.filter(
        pl.col("指标") == "接单", pl.col("客户经理").is_not_null()
    )
    by_center = frame.filter(pl.col("指标") == "接单", pl.col("利润中心").is_not_null())

    assert sales["赛道"].n_unique() >= 4 and set(sales["月份"]) == set(range(1, 13))
    assert by_manager.height > 0 and by_center.height > 0
    # The two commodity splits are two views of the same total (whole 万元, so
    # the cells' doubles are exact and the decimal sums can be compared).
    money = pl.col("目标金额").cast(pl.Decimal(18, 2))
    assert by_manager.select(money.sum()).item() == by_center.select(money.sum()).item()
