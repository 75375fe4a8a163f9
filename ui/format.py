"""Numbers as the business reads them: money in 万元 with separators, ratios, months.

Amounts arrive as Decimal (DECIMAL(18,2) from the warehouse) and leave as text;
nothing here turns money into a binary float.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from streamlit.column_config import DateColumn, DatetimeColumn, NumberColumn
from streamlit.elements.lib.column_types import ColumnConfig

MISSING = "—"

# Markdown (and Streamlit's own :colour[…] and $math$) that a name could carry.
_MARKUP = str.maketrans({c: "\\" + c for c in "\\`*_~[]<>$|:"})
_WAN = Decimal(10000)
_CENT = Decimal("0.01")
_UNIT = {"zh": "万元", "en": "(10k CNY)"}


def plain(text: object) -> str:
    """A name from the data as literal text inside Markdown-rendered elements.

    Streamlit already shows raw HTML as text; this also keeps `**`, `[…](…)`,
    `:red[…]` and `$…$` in a deal, customer or user name from formatting.
    """
    return str(text).translate(_MARKUP)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """A Decimal for an amount, reading floats through their shortest text form."""
    if isinstance(value, Decimal):
        return value
    # JSON numbers (the board's to_json) arrive as float; str() gives the
    # shortest decimal text, so 1234.57 stays 1234.57 rather than 1234.5699…
    return Decimal(str(value))


def wan(value: Decimal | int | float | str | None) -> Decimal | None:
    """An amount in CNY converted to 万元 (÷ 10,000), rounded half-up to 0.01."""
    if value is None:
        return None
    return (to_decimal(value) / _WAN).quantize(_CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | int | float | str | None, lang: str = "zh") -> str:
    """An amount in CNY as text in 万元 with thousands separators: 1,234.57 万元."""
    amount = wan(value)
    if amount is None:
        return MISSING
    return f"{amount:,.2f} {_UNIT.get(lang, _UNIT['zh'])}"


def ratio(value: Decimal | float | str | None, lang: str = "zh") -> str:
    """A coverage-style multiple (weighted pipeline ÷ gap) as text: 1.83 倍 / 1.83×."""
    if value is None:
        return MISSING
    amount = to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}×" if lang == "en" else f"{amount:,.2f} 倍"


def percent(value: Decimal | float | str | None) -> str:
    """A share (0.8734) as a percentage with one decimal (87.3%); missing is "—"."""
    if value is None:
        return MISSING
    share = (to_decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{share}%"


def month_label(month: date | None) -> str:
    """A month as YYYY-MM, the label snapshots and alerts use."""
    return MISSING if month is None else f"{month.year:04d}-{month.month:02d}"


def money_column(label: str, help: str | None = None) -> ColumnConfig:
    """A sortable table column of amounts already converted to 万元."""
    return NumberColumn(label, help=help, format="%,.2f")


def ratio_column(label: str, help: str | None = None) -> ColumnConfig:
    """A sortable table column of multiples such as coverage."""
    return NumberColumn(label, help=help, format="%.2f")


def percent_column(label: str, help: str | None = None) -> ColumnConfig:
    """A sortable table column of shares already in percent (87.3 for 0.873)."""
    return NumberColumn(label, help=help, format="%.1f%%")


def in_percent(share: Decimal | float | str | None) -> Decimal | None:
    """A share (0.8734) in percent with one decimal (87.3), for percent columns."""
    if share is None:
        return None
    return (to_decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def date_column(label: str) -> ColumnConfig:
    """A table column of days, YYYY-MM-DD."""
    return DateColumn(label, format="YYYY-MM-DD")


def datetime_column(label: str) -> ColumnConfig:
    """A table column of moments to the minute, YYYY-MM-DD HH:mm."""
    return DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
