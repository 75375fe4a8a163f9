"""The sample generator: deterministic, and writing what the group's systems send."""

from __future__ import annotations

import csv
import importlib.util
import io
import subprocess
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType

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


def load_generator() -> ModuleType:
    """sample_data/generate.py as a module (sample_data is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "sample_generate", SAMPLE_DATA / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def intended_track_targets() -> dict[tuple[str | None, int], Decimal]:
    """The generator's own monthly sales target per track, in CNY: the figure
    a track's managers' targets must add up to."""
    generate = load_generator()
    year = generate.Year()
    year.build()
    return {
        (track, month): Decimal(fen) / 100
        for track, monthly in generate.sales_targets(year).items()
        for month, fen in enumerate(monthly, start=1)
    }


@dataclass(frozen=True)
class SalesTarget:
    """One integrated sales row of targets.xlsx."""

    track: str | None
    account_manager: str | None
    profit_center: str | None
    month: int
    amount: Decimal


def integrated_sales_targets() -> list[SalesTarget]:
    """The integrated sales rows of the committed targets.xlsx, amounts as Decimal.

    Amounts are whole yuan, so the cells' doubles are exact integers.
    """
    frame = pl.read_excel(COMMITTED / "targets.xlsx").filter(
        pl.col("业务类型") == "模塑一体", pl.col("指标") == "销售"
    )
    return [
        SalesTarget(track, manager, center, month, Decimal(str(amount)))
        for track, manager, center, month, amount in frame.select(
            "赛道", "客户经理", "利润中心", "月份", "目标金额"
        ).iter_rows()
    ]


def test_generate_integrated_sales_targets_name_a_track_and_a_manager() -> None:
    found = integrated_sales_targets()
    targets = pl.read_excel(COMMITTED / "targets.xlsx")
    commodity_managers = set(
        targets.filter(pl.col("业务类型") == "商品模")["客户经理"].drop_nulls()
    )
    users = rows(COMMITTED / "users.csv", "utf-8")
    integrated_managers = {
        u["name"] for u in users if u["role"] == "account_manager"
    } - commodity_managers

    # Every row carries a track and a manager, no profit centre: there is no
    # track-only row that the managers' rows would count a second time.
    assert found
    assert all(t.track and t.account_manager and not t.profit_center for t in found)
    tracks_of: dict[str | None, set[str | None]] = defaultdict(set)
    months_of: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for t in found:
        tracks_of[t.account_manager].add(t.track)
        months_of[(t.track, t.account_manager)].append(t.month)
    assert set(tracks_of) == integrated_managers
    assert all(len(tracks) == 1 for tracks in tracks_of.values())
    assert all(sorted(months) == list(range(1, 13)) for months in months_of.values())


def test_generate_manager_sales_targets_add_up_to_track_targets(
    intended_track_targets: dict[tuple[str | None, int], Decimal],
) -> None:
    # Σ over the rows naming the track in that month, e.g. 汽车 in January =
    # 王磊's + 李娜's + 张伟's January rows.
    summed: dict[tuple[str | None, int], Decimal] = defaultdict(Decimal)
    for t in integrated_sales_targets():
        summed[(t.track, t.month)] += t.amount

    assert dict(summed) == intended_track_targets
    # The track targets are whole 万元, so the managers' rounding was rebalanced.
    assert all(amount % 10_000 == 0 for amount in summed.values())


def test_generate_manager_sales_targets_keep_one_share_all_year() -> None:
    found = integrated_sales_targets()
    track_month: dict[tuple[str | None, int], Decimal] = defaultdict(Decimal)
    track_year: dict[str | None, Decimal] = defaultdict(Decimal)
    manager_year: dict[str | None, Decimal] = defaultdict(Decimal)
    managers_in: dict[str | None, set[str | None]] = defaultdict(set)
    for t in found:
        track_month[(t.track, t.month)] += t.amount
        track_year[t.track] += t.amount
        manager_year[t.account_manager] += t.amount
        managers_in[t.track].add(t.account_manager)

    # Each month a manager gets the track's month × their share of the track's
    # year, in whole yuan. Rounding down costs under 1 yuan per manager and
    # month, the remainder (under n yuan for n managers) goes to the largest
    # share, and reading the share back from the year's rows moves it by under
    # n more: so never more than 2n yuan off.
    for t in found:
        share = manager_year[t.account_manager] / track_year[t.track]
        expected = track_month[(t.track, t.month)] * share
        assert t.amount == t.amount.to_integral_value(), t
        assert abs(t.amount - expected) <= 2 * len(managers_in[t.track]), t
