"""Checking an extract file against SPEC §3 before the warehouse is consulted.

From the text table to typed rows: match the header (Chinese names or English
aliases, any order), parse every column, apply the defaults of blank optional
cells, and collect every problem at once — blank required cells, unparseable or
negative values, unknown enumeration values, months outside 1–12, shipments
naming neither deal nor project, and keys repeated inside the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import polars as pl
import pyarrow as pa

from loaders import values
from loaders.extracts import Column, Extract, ValueType, choice_key
from loaders.reading import RawTable
from loaders.report import LoadReport, Problem

# Why a non-blank cell of each type failed to parse, unless a finer reason
# (month out of range, amount too large) applies.
_BAD_VALUE = {
    ValueType.MONEY: "bad_number",
    ValueType.COUNT: "bad_count",
    ValueType.YEAR: "bad_year",
    ValueType.MONTH_NUMBER: "bad_month_number",
    ValueType.DATE: "bad_date",
    ValueType.MONTH: "bad_month",
    ValueType.TIMESTAMP: "bad_datetime",
    ValueType.CHOICE: "unknown_value",
}

_POLARS_TYPE: dict[ValueType, pl.DataType] = {
    ValueType.TEXT: pl.String(),
    ValueType.MONEY: values.MONEY,
    ValueType.COUNT: pl.Int64(),
    ValueType.YEAR: pl.Int32(),
    ValueType.MONTH_NUMBER: pl.Int32(),
    ValueType.DATE: pl.Date(),
    ValueType.MONTH: pl.Date(),
    ValueType.TIMESTAMP: pl.Datetime("us"),
    ValueType.CHOICE: pl.String(),
}


@dataclass(frozen=True)
class Parsed:
    """An extract read and checked on its own, before the warehouse is asked.

    `frame` has `line_no` and every column of the extract under its warehouse
    name, typed, with defaults filled in (null where a cell is bad or its
    column absent). `extras` has `line_no` and `extras` (a JSON object of the
    unrecognised columns, keyed by their header) for rows that carry any.
    """

    extract: Extract
    frame: pl.DataFrame
    headers: dict[str, str]
    extras: pl.DataFrame
    extra_columns: list[str]
    report: LoadReport
    table: RawTable | None

    @property
    def rows_read(self) -> int:
        """Data rows in the file, blank rows not counted."""
        return self.frame.height

    @cached_property
    def arrow(self) -> pa.Table:
        """`frame` as Arrow, converted once for every statement that reads it."""
        return self.frame.to_arrow()


def unreadable(extract: Extract, problem: Problem) -> Parsed:
    """The Parsed of a file that could not be read as a table at all."""
    frame = pl.DataFrame(
        {"line_no": pl.Series([], dtype=pl.Int64)}
        | {c.name: pl.Series([], dtype=_POLARS_TYPE[c.type]) for c in extract.columns}
    )
    extras = pl.DataFrame(schema={"line_no": pl.Int64, "extras": pl.String})
    return Parsed(extract, frame, {}, extras, [], LoadReport(problems=[problem]), None)


def parse_extract(extract: Extract, table: RawTable) -> Parsed:
    """Typed rows and every problem the file shows on its own."""
    positions, extra_positions, problems = _match_header(
        extract, table.headers, table.header_line
    )
    headers = {name: table.headers[i] for name, i in positions.items()}
    missing = _missing_columns(extract, positions)

    cells = table.cells
    line_no = cells["line_no"]
    typed: dict[str, pl.Series] = {"line_no": line_no}
    for column in extract.columns:
        if column.name not in positions:
            typed[column.name] = _absent(column, cells.height)
            continue

        raw = cells[f"c{positions[column.name]}"]
        value = values.parse(column, raw)
        problems += _cell_problems(column, headers[column.name], line_no, raw, value)
        if column.default is not None:
            value = pl.select(
                pl.when(raw.is_null()).then(_typed_default(column)).otherwise(value)
            ).to_series()
        typed[column.name] = value.alias(column.name)

    frame = pl.DataFrame(typed)
    problems += _neither_given(extract, headers, cells, positions)
    problems += _repeated_keys(extract, headers, frame, cells, positions)
    extras, extra_columns = _extras(table, extra_positions)

    problems.sort(key=lambda problem: problem.line_no)
    report = LoadReport(missing_columns=missing, problems=problems)
    return Parsed(extract, frame, headers, extras, extra_columns, report, table)


def _match_header(
    extract: Extract, headers: list[str], line: int
) -> tuple[dict[str, int], list[int], list[Problem]]:
    """Column name → position in the file; positions of extra columns; repeats."""
    lookup = {key: c.name for c in extract.columns for key in c.header_keys()}
    positions: dict[str, int] = {}
    extra: list[int] = []
    problems: list[Problem] = []
    for i, header in enumerate(headers):
        name = _column_named(header, lookup)
        if name is None:
            extra.append(i)
        elif name in positions:
            label = extract.column(name).label
            problems.append(Problem.of("duplicate_column", line, header, label))
        else:
            positions[name] = i
    return positions, extra, problems


def _column_named(header: str, lookup: dict[str, str]) -> str | None:
    """The column a header names: "月份", "Month", "month", or "月份·month"."""
    if not header:
        return None
    found = lookup.get(choice_key(header))
    if found is not None:
        return found
    # Templates sometimes carry both names: "月份·month", "月份(month)".
    for part in re.split(r"[·()（）/]", header):
        if part.strip() and choice_key(part) in lookup:
            return lookup[choice_key(part)]
    return None


def _missing_columns(extract: Extract, positions: dict[str, int]) -> list[str]:
    missing = [
        c.label for c in extract.columns if c.required and c.name not in positions
    ]
    if extract.one_of and not any(name in positions for name in extract.one_of):
        missing.append(
            " / ".join(extract.column(name).label for name in extract.one_of)
        )
    return missing


def _typed_default(column: Column) -> pl.Expr:
    assert column.default is not None
    dtype = _POLARS_TYPE[column.type]
    if column.type is ValueType.MONEY:
        return pl.lit(Decimal(column.default), dtype=dtype)
    if column.type is ValueType.COUNT:
        return pl.lit(int(column.default), dtype=dtype)
    return pl.lit(column.default, dtype=dtype)


def _absent(column: Column, height: int) -> pl.Series:
    """An absent optional column: its default on every row, else nulls."""
    if column.default is None:
        return pl.Series(column.name, [None] * height, dtype=_POLARS_TYPE[column.type])
    return (
        pl.select(_typed_default(column).repeat_by(height).explode())
        .to_series()
        .alias(column.name)
    )


def _cell_problems(
    column: Column, header: str, line_no: pl.Series, raw: pl.Series, value: pl.Series
) -> list[Problem]:
    """Blank required cells, unparseable values, negatives, months outside 1–12."""
    cells = pl.DataFrame({"line_no": line_no, "raw": raw, "value": value})
    problems: list[Problem] = []

    if column.required:
        for (line,) in (
            cells.filter(pl.col("raw").is_null()).select("line_no").iter_rows()
        ):
            problems.append(Problem.of("missing_value", line, header, ""))

    bad = cells.filter(pl.col("raw").is_not_null() & pl.col("value").is_null())
    for line, text in bad.select("line_no", "raw").iter_rows():
        problems.append(_bad_value(column, header, line, text))

    if column.type in (ValueType.MONEY, ValueType.COUNT):
        negative = cells.filter(pl.col("value") < 0)
        for line, text in negative.select("line_no", "raw").iter_rows():
            problems.append(Problem.of("negative_amount", line, header, text))

    if column.type is ValueType.MONTH_NUMBER:
        outside = cells.filter(~pl.col("value").is_between(1, 12))
        for line, text in outside.select("line_no", "raw").iter_rows():
            problems.append(Problem.of("month_out_of_range", line, header, text))
    return problems


def _bad_value(column: Column, header: str, line: int, text: str) -> Problem:
    """The problem of one unparseable cell, with the most specific reason."""
    dated = column.type in (ValueType.MONTH, ValueType.DATE, ValueType.TIMESTAMP)
    if dated and values.month_out_of_range(text):
        return Problem.of("month_out_of_range", line, header, text)
    if column.type is ValueType.MONEY and values.money_too_large(text):
        return Problem.of("number_too_large", line, header, text)
    if column.type is ValueType.CHOICE:
        if column.name == "currency":
            return Problem.of("currency_not_cny", line, header, text)
        shown = _accepted(column)
        return Problem.of(
            "unknown_value",
            line,
            header,
            text,
            hint="、".join(shown),
            hint_en=", ".join(shown),
        )
    return Problem.of(_BAD_VALUE[column.type], line, header, text)


def _accepted(column: Column) -> list[str]:
    """The accepted values of an enumeration: "机会/opportunity", "模具开发/…"."""
    shown = []
    for stored in dict.fromkeys(column.choices.values()):
        chinese = [
            spelling
            for spelling, value in column.choices.items()
            if value == stored and not spelling.isascii()
        ]
        shown.append(f"{chinese[0]}/{stored}" if chinese else stored)
    return shown


def _neither_given(
    extract: Extract,
    headers: dict[str, str],
    cells: pl.DataFrame,
    positions: dict[str, int],
) -> list[Problem]:
    """Rows that leave every column of a one-of pair blank (shipments)."""
    present = [name for name in extract.one_of if name in positions]
    if not present:
        return []

    blank = pl.all_horizontal(
        pl.col(f"c{positions[name]}").is_null() for name in present
    )
    label = " / ".join(headers[name] for name in present)
    return [
        Problem.of("no_deal_or_project", line, label, "")
        for (line,) in cells.filter(blank).select("line_no").iter_rows()
    ]


def _repeated_keys(
    extract: Extract,
    headers: dict[str, str],
    frame: pl.DataFrame,
    cells: pl.DataFrame,
    positions: dict[str, int],
) -> list[Problem]:
    """Every row whose key repeats an earlier row of the same file."""
    keyed = frame.select("line_no", *extract.key).drop_nulls()
    if keyed.height < 2:
        return []

    # Hashing the key first keeps the common case (no repeats) to one cheap
    # pass; equal hashes are then confirmed on the real values.
    hashed = keyed.select(pl.struct(extract.key).hash().alias("h"))["h"]
    if not hashed.is_duplicated().any():
        return []
    repeated = keyed.filter(~pl.struct(extract.key).is_first_distinct())
    if repeated.height == 0:
        return []

    first = keyed.group_by(extract.key).agg(pl.col("line_no").min().alias("first"))
    repeated = repeated.join(first, on=extract.key).sort("line_no")
    shown = [name for name in extract.key if name in positions]
    label = "+".join(headers[name] for name in shown)
    texts = cells.select(
        "line_no",
        pl.concat_str(
            [pl.col(f"c{positions[name]}").fill_null("") for name in shown],
            separator=" / ",
        ).alias("text"),
    )
    repeated = repeated.join(texts, on="line_no", how="left")
    return [
        Problem.of("duplicate_key", line, label, text, first=first_line)
        for line, first_line, text in repeated.select(
            "line_no", "first", "text"
        ).iter_rows()
    ]


def _extras(table: RawTable, positions: list[int]) -> tuple[pl.DataFrame, list[str]]:
    """Cells of unrecognised columns as one JSON object per row that has any."""
    empty = pl.DataFrame(schema={"line_no": pl.Int64, "extras": pl.String})
    cells = table.cells
    # A column with neither header nor data is only a trailing separator.
    kept = [
        i
        for i in positions
        if table.headers[i] or cells[f"c{i}"].null_count() < cells.height
    ]
    if not kept or cells.height == 0:
        return empty, []

    names: list[str] = []
    for i in kept:
        name = table.headers[i] or f"column {i + 1}"
        while name in names:
            name = f"{name} ({i + 1})"
        names.append(name)

    fields = [pl.col(f"c{i}").alias(name) for i, name in zip(kept, names, strict=True)]
    extras = cells.filter(
        pl.any_horizontal(pl.col(f"c{i}").is_not_null() for i in kept)
    ).select("line_no", pl.struct(fields).struct.json_encode().alias("extras"))
    return extras, names
