"""Reading extract files: encodings, spreadsheets, line numbers, unreadable files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from loaders.reading import RawTable, UnreadableFile, read_table

HEADER = ["商机编号", "月份", "金额"]
ROWS = [["D1", "2026年3月", "1,200.50"], ["D2", "2026/4", "300"]]


def cells(table: RawTable) -> list[tuple[object, ...]]:
    return table.cells.rows()


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"),
     ("gbk", "gb18030")],
)  # fmt: skip
def test_read_table_csv_encoding_detected_and_decoded(
    write_csv: Callable[..., Path], encoding: str, reported: str
) -> None:
    path = write_csv("extract.csv", HEADER, ROWS, encoding=encoding)

    table = read_table(path.read_bytes())

    assert table.encoding == reported
    assert table.headers == HEADER
    assert cells(table) == [
        (2, "D1", "2026年3月", "1,200.50"),
        (3, "D2", "2026/4", "300"),
    ]


def test_read_table_bytes_neither_utf8_nor_gb18030_refused() -> None:
    # 0xFF never starts a GB18030 character and is never valid UTF-8.
    data = "商机编号\n".encode() + b"\xff\xfe\xff\n"

    with pytest.raises(UnreadableFile) as refused:
        read_table(data)

    assert refused.value.problem.reason == "unknown_encoding"


def test_read_table_row_with_too_many_cells_refused() -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_table(b"a,b\n1,2\n3,4,5\n")

    assert refused.value.problem.reason == "malformed_csv"


@pytest.mark.parametrize("data", [b"", b"  \n\n"])
def test_read_table_empty_file_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_table(data)

    assert refused.value.problem.reason == "empty_file"


def test_read_table_blank_lines_keep_line_numbers() -> None:
    # Line 1 header, line 2 data, line 3 empty, line 4 only separators, line 5 data.
    data = "商机编号,金额\n D1 , 5 \n\n,\nD2,6\n".encode()

    table = read_table(data)

    assert cells(table) == [(2, "D1", "5"), (5, "D2", "6")]


def test_read_table_repeated_header_kept_as_written() -> None:
    table = read_table("月份,月份, 备注 \n2026-03,2026-04,x\n".encode())

    assert table.headers == ["月份", "月份", "备注"]


def test_read_table_xlsx_cells_come_out_as_text(
    write_xlsx: Callable[..., Path],
) -> None:
    path = write_xlsx(
        "extract.xlsx",
        ["商机编号", "创建日期", "提交时间", "金额", "套数"],
        [["D1", dt.date(2026, 3, 5), dt.datetime(2026, 3, 5, 14, 30), 1234567.5, 3.0]],
    )

    table = read_table(path.read_bytes())

    assert table.file_format == "xlsx"
    assert table.sheet == "Sheet1"
    assert cells(table) == [
        (2, "D1", "2026-03-05 00:00:00", "2026-03-05 14:30:00", "1234567.5", "3")
    ]


def test_read_table_xlsx_empty_row_keeps_row_numbers(
    write_xlsx: Callable[..., Path],
) -> None:
    path = write_xlsx("gap.xlsx", ["商机编号"], [["D1"], [""], ["D3"]])

    table = read_table(path.read_bytes())

    assert cells(table) == [(2, "D1"), (4, "D3")]


def test_read_table_xlsx_named_sheet(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx("named.xlsx", ["商机编号"], [["D9"]], sheet="商机")

    table = read_table(path.read_bytes(), sheet="商机")

    assert table.sheet == "商机"
    assert cells(table) == [(2, "D9")]


def test_read_table_xlsx_unknown_sheet_lists_the_sheets(
    write_xlsx: Callable[..., Path],
) -> None:
    path = write_xlsx("named.xlsx", ["商机编号"], [["D9"]], sheet="商机")

    with pytest.raises(UnreadableFile) as refused:
        read_table(path.read_bytes(), sheet="预测")

    assert refused.value.problem.reason == "missing_sheet"
    assert "商机" in refused.value.problem.en


def test_read_table_xlsx_header_below_row_1_numbers_rows_as_excel_does(
    tmp_path: Path,
) -> None:
    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet()
    # Rows 1–2 empty, header in row 3 from column B, data in rows 4 and 6.
    page.write_row(2, 1, ["商机编号", "月份"])
    page.write_row(3, 1, ["D1", "2026-03"])
    page.write_row(5, 1, ["D2", "2026-04"])
    book.close()

    table = read_table(path.read_bytes())

    assert (table.headers, table.header_line) == (["商机编号", "月份"], 3)
    assert cells(table) == [(4, "D1", "2026-03"), (6, "D2", "2026-04")]


def test_read_table_csv_blank_lines_before_header_counted() -> None:
    table = read_table("\n\r\n商机编号,金额\nD1,5\n".encode())

    assert (table.headers, table.header_line) == (["商机编号", "金额"], 3)
    assert cells(table) == [(4, "D1", "5")]


def test_read_table_excel_windows_csv_crlf_gb18030() -> None:
    # What Excel on Chinese Windows saves: GB18030, CRLF line ends.
    data = '商机编号,金额\r\nD1,"1,200"\r\n\r\nD2,5\r\n'.encode("gb18030")

    table = read_table(data)

    assert table.encoding == "gb18030"
    assert cells(table) == [(2, "D1", "1,200"), (4, "D2", "5")]
