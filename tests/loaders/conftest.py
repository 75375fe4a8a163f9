"""Fixtures for the loader tests: extract files on disk and a warehouse fingerprint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import xlsxwriter

from loaders import load_file
from warehouse import Warehouse

Rows = Sequence[Sequence[object]]

DEALS_HEADER = [
    "商机编号",
    "商机名称",
    "业务类型",
    "赛道",
    "客户经理",
    "利润中心",
    "客户",
    "商机类型",
    "商机阶段",
    "创建日期",
    "Secured日期",
    "项目编号",
    "计划量产日期",
]
# Two deals every loader test can refer to; D2 carries project P2.
DEALS_ROWS = [
    ["D1", "门板", "模塑一体", "汽车", "张三", "PC1", "客户A", "机会", "L Potential",
     "2026-01-05", "", "", ""],
    ["D2", "仪表", "模塑一体", "汽车", "李四", "PC1", "客户B", "模具开发", "Secured",
     "2026-01-06", "2026-02-01", "P2", "2026-09-01"],
]  # fmt: skip


def csv_text(header: Sequence[str], rows: Rows) -> str:
    """CSV text with every cell quoted (amounts may hold thousands separators)."""
    lines = [header, *rows]
    return "".join(
        ",".join('"' + str(cell).replace('"', '""') + '"' for cell in line) + "\n"
        for line in lines
    )


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a CSV extract: write_csv(name, header, rows, encoding="utf-8")."""

    def write(
        name: str, header: Sequence[str], rows: Rows, encoding: str = "utf-8"
    ) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_text(header, rows).encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write an XLSX extract; cells keep their Python type (date, float, str)."""

    def write(
        name: str, header: Sequence[str], rows: Rows, sheet: str = "Sheet1"
    ) -> Path:
        path = tmp_path / name
        book = xlsxwriter.Workbook(str(path))
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        times = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        page = book.add_worksheet(sheet)
        page.write_row(0, 0, list(header))
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if cell is None or cell == "":
                    continue
                if hasattr(cell, "hour"):
                    page.write_datetime(r, c, cell, times)
                elif hasattr(cell, "year"):
                    page.write_datetime(r, c, cell, dates)
                else:
                    page.write(r, c, cell)
        book.close()
        return path

    return write


@pytest.fixture
def with_deals(warehouse: Warehouse, write_csv: Callable[..., Path]) -> Warehouse:
    """The test warehouse holding deals D1 and D2."""
    load_file(warehouse, "deals", write_csv("deals.csv", DEALS_HEADER, DEALS_ROWS))
    return warehouse


@pytest.fixture
def fingerprint(warehouse: Warehouse) -> Callable[..., dict[str, tuple[int, int]]]:
    """Row count and an order-free hash of every table, to prove nothing changed.

    fingerprint(skip=("load_log",)) leaves out the tables a test expects to grow.
    """

    def take(skip: Sequence[str] = ()) -> dict[str, tuple[int, int]]:
        with warehouse.cursor() as cur:
            names = cur.execute(
                "SELECT table_name FROM duckdb_tables() ORDER BY table_name"
            ).fetchall()
            return {
                name: tuple(  # type: ignore[misc]
                    cur.execute(
                        f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{name}" AS t'
                    ).fetchall()[0]
                )
                for (name,) in names
                if name not in skip
            }

    return take


@pytest.fixture
def query(warehouse: Warehouse) -> Callable[..., list[tuple]]:
    """All rows of a query on the test warehouse: query(sql, params)."""

    def run(sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with warehouse.cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    return run
