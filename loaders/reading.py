"""Reading an extract file into a table of text cells, whatever it was saved as.

CSV arrives as UTF-8 (with or without a BOM) or as GB18030/GBK from Excel on
Chinese Windows; the encoding is detected in a fixed order — BOM, strict
UTF-8, GB18030 — and never guessed. XLSX is read through fastexcel. Either way
every cell comes out as stripped text (blank → null) and the header row is
kept exactly as the user wrote it, so that messages can quote both.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import fastexcel
import polars as pl

from loaders.report import Problem

log = logging.getLogger(__name__)

UTF8_BOM = b"\xef\xbb\xbf"
# XLSX is a zip archive; legacy XLS an OLE compound file. Both open in calamine.
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class UnreadableFile(Exception):
    """The file is not a table the loader can read; carries the one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.en)
        self.problem = problem


@dataclass(frozen=True)
class RawTable:
    """An extract as text: the header as written and one String column per cell.

    `cells` has a `line_no` column (the line or spreadsheet row the user sees;
    the header is normally line 1) and columns c0, c1, … in header order. Rows
    whose every cell is blank are dropped.
    """

    headers: list[str]
    header_line: int
    cells: pl.DataFrame
    file_format: str  # "csv" | "xlsx"
    encoding: str | None  # for CSV: "utf-8", "utf-8-sig" or "gb18030"
    sheet: str | None  # for XLSX: the sheet read


def read_table(data: bytes, *, sheet: str | None = None) -> RawTable:
    """Read CSV or spreadsheet bytes into a RawTable, or raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile(
            _file_problem(
                "empty_file",
                "文件是空的，没有表头也没有数据。请确认导出成功后再上传。",
                "The file is empty: it has neither a header nor data. Check that "
                "the export succeeded and upload it again.",
            )
        )

    if data.startswith(_SPREADSHEET_MAGIC):
        frame, sheet_name = _read_spreadsheet(data, sheet)
        return _table(frame, 1, "xlsx", None, sheet_name)

    # Blank lines before the header would make Polars take an empty schema;
    # they are skipped here and still counted.
    body = data.lstrip(b"\r\n")
    first_line = 1 + data[: len(data) - len(body)].count(b"\n")
    frame, encoding = _read_csv(body)
    return _table(frame, first_line, "csv", encoding, None)


def _read_csv(data: bytes) -> tuple[pl.DataFrame, str]:
    encoding = "utf-8"
    if data.startswith(UTF8_BOM):
        data, encoding = data[len(UTF8_BOM) :], "utf-8-sig"

    # Polars refuses invalid UTF-8 itself, so the common case costs no decode
    # in Python. On refusal, a strict decode tells a GB18030 file from a
    # malformed one.
    try:
        return _parse_csv(data), encoding
    except pl.exceptions.ComputeError as error:
        if encoding == "utf-8-sig" or _is_utf8(data):
            raise _malformed_csv(error) from error

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _file_problem(
                "unknown_encoding",
                "无法识别文件编码：它既不是 UTF-8 也不是 GB18030/GBK。请在 Excel 中"
                "另存为“CSV UTF-8（逗号分隔）”后重新上传。",
                "The file's encoding is neither UTF-8 nor GB18030/GBK. Save it from "
                "Excel as 'CSV UTF-8 (Comma delimited)' and upload it again.",
            )
        ) from error
    try:
        return _parse_csv(text.encode("utf-8")), "gb18030"
    except pl.exceptions.ComputeError as error:
        raise _malformed_csv(error) from error


def _parse_csv(data: bytes) -> pl.DataFrame:
    # The header is read as a data row: polars would otherwise rename a
    # repeated header, and messages must quote the header as written.
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        infer_schema=False,
        raise_if_empty=False,
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _malformed_csv(error: Exception) -> UnreadableFile:
    return UnreadableFile(
        _file_problem(
            "malformed_csv",
            f"CSV 文件格式有误，无法逐行读取（{error}）。常见原因是某行的列数多于表头，"
            "或引号未闭合。请检查后重新导出。",
            f"The CSV file is malformed and cannot be read row by row ({error}). "
            "Usually a row has more cells than the header or a quote is not "
            "closed; check it and export again.",
        )
    )


def _read_spreadsheet(data: bytes, sheet: str | None) -> tuple[pl.DataFrame, str]:
    try:
        names = fastexcel.read_excel(data).sheet_names
    except Exception as error:  # calamine raises its own error types
        raise UnreadableFile(
            _file_problem(
                "unreadable_spreadsheet",
                f"无法打开这个 Excel 文件（{error}）。"
                "请用 Excel 另存为 .xlsx 后重新上传。",
                f"This Excel file cannot be opened ({error}). Save it from Excel "
                "as .xlsx and upload it again.",
            )
        ) from error

    if sheet is not None and sheet not in names:
        listed = "、".join(names)
        raise UnreadableFile(
            _file_problem(
                "missing_sheet",
                f"文件里没有名为“{sheet}”的工作表；现有工作表：{listed}。请改用其中之一。",
                f"The workbook has no sheet named '{sheet}'; its sheets are: "
                f"{', '.join(names)}. Name one of those.",
            )
        )
    sheet_name = sheet if sheet is not None else names[0]

    # Every cell as text: dates come out as "2026-03-05 00:00:00", numbers in
    # the shortest form that reads back the same, which the value parsers take.
    # Empty rows, leading ones too (skip_rows=0), are kept so that row numbers
    # match what Excel shows.
    frame = pl.read_excel(
        io.BytesIO(data),
        sheet_name=sheet_name,
        has_header=False,
        drop_empty_rows=False,
        drop_empty_cols=False,
        raise_if_empty=False,
        read_options={"dtypes": "string", "skip_rows": 0},
    )
    return frame, sheet_name


def _table(
    frame: pl.DataFrame,
    first_line: int,
    file_format: str,
    encoding: str | None,
    sheet: str | None,
) -> RawTable:
    """Find the header row, number the rows, strip every cell, drop blank rows.

    `first_line` is the line number of the frame's first row.
    """
    frame = frame.select(
        pl.col(name).cast(pl.String).str.strip_chars().replace("", None).alias(f"c{i}")
        for i, name in enumerate(frame.columns)
    )
    filled = frame.select(~pl.all_horizontal(pl.all().is_null())).to_series()
    if not filled.any():
        raise UnreadableFile(
            _file_problem(
                "empty_file",
                "文件没有表头行。第 1 行应为列名，请按导出模板重新导出。",
                "The file has no header row. Line 1 must name the columns; export "
                "it again from the template.",
            )
        )

    # The header is the first row with anything in it (normally line 1).
    # Limitation: line numbers count records, not physical lines — a quoted
    # cell that holds a line break shifts the numbers of the rows after it.
    header_at = int(filled.arg_max() or 0)
    headers = [(value or "").lstrip("\ufeff").strip() for value in frame.row(header_at)]
    cells = (
        frame.with_row_index("line_no", offset=first_line)
        .with_columns(pl.col("line_no").cast(pl.Int64))
        .slice(header_at + 1)
    )
    blank = ~filled.slice(header_at + 1)
    if blank.any():
        cells = cells.filter(~blank)
    log.debug("read %s: %d columns, %d rows", file_format, len(headers), cells.height)
    return RawTable(
        headers, first_line + header_at, cells, file_format, encoding, sheet
    )


def _file_problem(reason: str, zh: str, en: str) -> Problem:
    return Problem(line_no=0, column="", value="", reason=reason, zh=zh, en=en)
