"""The forecast hand-off to APS and PMC (SPEC §8), as CSV or XLSX.

Integrated business: each deal's latest rolling and latest precision submission
dated on or before the as-of date, by month, for every phase but lost — a
production-planning reference for profit-center managers and PMC. Commodity
business: only quotes at H Potential or later go to APS as scheduling input.

The files are opened by spreadsheets, and deal and customer names come from
the CRM as typed. A text cell that a spreadsheet would read as a formula
(first visible character `=`, `+`, `-` or `@`, or a leading tab or carriage
return) is written with a single quote in front, the text otherwise kept.
Numbers stay numbers: a number cell is never a formula, even when negative,
so only text is neutralised. Column names are the English ones the loaders
accept, so that the hand-off reads the same to people and to APS.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import xlsxwriter

from warehouse import audit, sql
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError
from warehouse.users import Actor, deal_scope

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")

# The columns of the CSV, where both business lines share one table; each XLSX
# sheet keeps only the columns of its business line.
CSV_COLUMNS = (
    "business_line",
    "track",
    "profit_center",
    "account_manager",
    "customer",
    "deal_id",
    "deal_name",
    "phase",
    "stage",
    "version",
    "submitted_at",
    "month",
    "order_amount",
    "mold_sets",
    "mold_sales",
    "product_sales",
    "quote_id",
    "quote_stage",
    "quoted_on",
    "quote_amount",
)

_FORMULA_START = r"^(\s*[=+\-@]|[\t\r])"


@dataclass(frozen=True)
class ApsExport:
    """The rows of one hand-off: integrated forecasts and commodity quotes."""

    as_of: date
    integrated: pl.DataFrame
    commodity: pl.DataFrame

    def to_bytes(self, fmt: str) -> bytes:
        """The hand-off as a file's bytes, "csv" (UTF-8 with BOM) or "xlsx"."""
        if fmt == "csv":
            return self.to_csv()
        if fmt == "xlsx":
            return self.to_xlsx()
        raise _unknown_format(fmt)

    def to_csv(self) -> bytes:
        """One CSV table of both business lines, UTF-8 with BOM for Excel."""
        integrated = _for_csv(self.integrated, "integrated")
        commodity = _for_csv(self.commodity, "commodity")
        table = pl.concat([integrated, commodity], how="diagonal_relaxed").select(
            CSV_COLUMNS
        )

        buffer = io.BytesIO()
        table.write_csv(buffer, include_bom=True)
        return buffer.getvalue()

    def to_xlsx(self) -> bytes:
        """A workbook with one sheet per business line, numbers and dates typed."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            buffer,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        formats = {
            "amount": workbook.add_format({"num_format": "#,##0.00"}),
            "count": workbook.add_format({"num_format": "0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "month": workbook.add_format({"num_format": "yyyy-mm"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "header": workbook.add_format({"bold": True}),
        }
        _write_sheet(workbook, "integrated", self.integrated, formats)
        _write_sheet(workbook, "commodity", self.commodity, formats)
        workbook.close()
        return buffer.getvalue()


def build_aps_export(
    warehouse: Warehouse, as_of: date, actor: Actor, fmt: str
) -> bytes:
    """The APS/PMC hand-off as of a date, scoped to the actor, as bytes; audited."""
    if fmt not in FORMATS:
        raise _unknown_format(fmt)

    with warehouse.transaction() as cur:
        export = read_aps_export(cur, as_of, actor)
        audit.record(
            cur,
            actor.name,
            "export.aps",
            as_of.isoformat(),
            {
                "format": fmt,
                "integrated_rows": export.integrated.height,
                "commodity_rows": export.commodity.height,
            },
        )

    log.info(
        "APS export as of %s for %s: %d integrated rows, %d commodity quotes (%s)",
        as_of,
        actor.name,
        export.integrated.height,
        export.commodity.height,
        fmt,
    )
    return export.to_bytes(fmt)


def read_aps_export(cur: Any, as_of: date, actor: Actor) -> ApsExport:
    """The rows of the hand-off as of a date, scoped to what the actor may see."""
    sees_all, tracks, account_manager = deal_scope(actor)
    params = {
        "as_of": as_of,
        "sees_all": sees_all,
        "tracks": tracks,
        "account_manager": account_manager,
    }
    integrated = cur.sql(sql.query("handoffs", "aps_integrated"), params=params).pl()
    commodity = cur.sql(sql.query("handoffs", "aps_commodity"), params=params).pl()
    return ApsExport(as_of, neutralise_frame(integrated), neutralise_frame(commodity))


def neutralise(text: str) -> str:
    """Text that no spreadsheet reads as a formula: a leading ' before =, +, -, @."""
    stripped = text.lstrip()
    if stripped[:1] in ("=", "+", "-", "@") or text[:1] in ("\t", "\r"):
        return "'" + text
    return text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of a frame neutralised as in neutralise()."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def format_from_path(name: str) -> str:
    """The export format named by a file's extension (.csv or .xlsx)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FORMATS:
        raise _unknown_format(suffix or name)
    return suffix


def _unknown_format(fmt: str) -> ForecastError:
    return ForecastError(
        f"不支持的导出格式“{fmt}”。请把输出文件命名为 .csv 或 .xlsx。",
        f"The export format '{fmt}' is not supported. Name the output file .csv "
        "or .xlsx.",
    )


def _for_csv(frame: pl.DataFrame, business_line: str) -> pl.DataFrame:
    # Dates as ISO text, months as YYYY-MM: what APS imports and Excel shows as is.
    columns: list[pl.Expr] = [pl.lit(business_line).alias("business_line")]
    for name, dtype in frame.schema.items():
        if name == "month":
            columns.append(pl.col(name).dt.strftime("%Y-%m"))
        elif dtype == pl.Datetime:
            columns.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Date:
            columns.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        else:
            columns.append(pl.col(name))
    return frame.select(columns)


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    name: str,
    frame: pl.DataFrame,
    formats: dict[str, Any],
) -> None:
    sheet = workbook.add_worksheet(name)
    for col, column in enumerate(frame.columns):
        sheet.write_string(0, col, column, formats["header"])
    sheet.freeze_panes(1, 0)

    # Each cell is written by its type, never through write(), so that no
    # text is ever taken for a formula, a number or a link.
    # Limitation: one Python call per cell — an XLSX of several hundred
    # thousand forecast rows (SPEC §9 scale) takes tens of seconds; use CSV.
    for row_no, row in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(row):
            column = frame.columns[col]
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_no, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(row_no, col, value, formats["datetime"])
            elif isinstance(value, date):
                style = formats["month"] if column == "month" else formats["date"]
                sheet.write_datetime(row_no, col, value, style)
            elif isinstance(value, Decimal):
                # An XLSX number is a binary double; 2-decimal amounts of up to
                # 15 significant digits read back as the same text.
                sheet.write_number(row_no, col, float(value), formats["amount"])
            else:
                sheet.write_number(row_no, col, value, formats["count"])
