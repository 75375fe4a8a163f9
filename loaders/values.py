"""Vectorised parsing of extract cells: text in, typed Polars series out.

Every parser takes a String series (already stripped, blank cells null) and
returns a typed series of the same length that is null wherever the text could
not be parsed; the caller tells "blank" from "unparseable" by comparing nulls.

Parsers are tiered for speed: the format a system usually writes is tried on
the whole column, and the slower, general forms only on the cells it missed.
A million-row column in the common format costs one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

import polars as pl

from loaders.extracts import Column, ValueType

MONEY = pl.Decimal(18, 2)

# Amounts: digits with optional thousands separators, any number of decimals.
MONEY_PATTERN = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?$"
_MONEY_SHAPE = re.compile(MONEY_PATTERN)
# At most 16 integer digits fit DECIMAL(18,2).
MONEY_INTEGER_DIGITS = 16
# Counts are stored as INTEGER.
COUNT_MAX = 2**31 - 1

# Excel serial dates: days since 1899-12-30. Only five-digit serials are read
# as dates, which spans 1927-05-18 … 2173-10-14 and keeps "2026" (a year) from
# being taken for a day in 1905.
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_PATTERN = r"^\d{5}(?:\.\d+)?$"

# After `_dashed`, a date or month with an optional time of day.
_DATE_PARTS = re.compile(
    r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)

Tier = Callable[[pl.Series], pl.Series]


def parse(column: Column, raw: pl.Series) -> pl.Series:
    """The typed values of one column; null where blank or unparseable."""
    match column.type:
        case ValueType.TEXT:
            return raw
        case ValueType.MONEY:
            return money(raw)
        case ValueType.COUNT:
            return count(raw)
        case ValueType.YEAR:
            return year(raw)
        case ValueType.MONTH_NUMBER:
            return month_number(raw)
        case ValueType.DATE:
            return date(raw)
        case ValueType.MONTH:
            return month(raw)
        case ValueType.TIMESTAMP:
            return timestamp(raw)
        case ValueType.CHOICE:
            return choice(raw, column.choices)


def _tiered(raw: pl.Series, tiers: list[Tier]) -> pl.Series:
    """Apply each tier only to the cells the previous tiers left unparsed."""
    result = tiers[0](raw)
    for tier in tiers[1:]:
        missed = (raw.is_not_null() & result.is_null()).arg_true()
        if missed.len() == 0:
            break
        result = result.scatter(missed, tier(raw.gather(missed)))
    return result


def _on(raw: pl.Series, expr: pl.Expr) -> pl.Series:
    """Evaluate an expression over `raw` (bound as column "v")."""
    return pl.DataFrame({"v": raw}).select(expr.alias(raw.name)).to_series()


def _dashed(raw: pl.Series) -> pl.Series:
    """'2026年3月5日', '2026/3/5' and '2026年3月' → '2026-3-5', '2026-3'."""
    return _on(
        raw,
        pl.col("v")
        .str.replace_all("[年/]", "-")
        .str.replace_all("月", "-")
        .str.replace_all("日", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars_end("-"),
    )


def money(raw: pl.Series) -> pl.Series:
    """Amounts as DECIMAL(18,2): "1,234,567.50" → 1234567.50, rounded half-up."""
    shaped = _on(raw, pl.col("v").str.contains(MONEY_PATTERN))
    plain = _on(raw, pl.col("v").str.replace_all(",", "", literal=True))

    # Up to two decimals the cast is exact; more decimals need half-up rounding,
    # which the cast does not do (it rounds half to even).
    long_tail = _on(plain, pl.col("v").str.contains(r"\.\d{3}"))
    exact = _on(
        plain,
        pl.when(shaped & ~long_tail).then(pl.col("v").cast(MONEY, strict=False)),
    )
    rounded = (shaped & long_tail).arg_true()
    if rounded.len():
        exact = exact.scatter(rounded, _round_half_up(plain.gather(rounded)))
    return exact


def _round_half_up(plain: pl.Series) -> pl.Series:
    """Decimal strings with three or more decimals, rounded half-up to cents."""
    parts = _on(plain, pl.col("v").str.extract_groups(r"^([+-]?)(\d+)\.(\d*)$"))
    frame = parts.struct.unnest()
    sign, whole, fraction = frame.columns
    digits = pl.col(fraction).str.pad_end(3, "0")
    cents = (
        pl.col(whole).cast(pl.Int64, strict=False) * 100
        + digits.str.slice(0, 2).cast(pl.Int64)
        + (digits.str.slice(2, 1) >= "5").cast(pl.Int64)
    )
    text = pl.concat_str(
        pl.col(sign),
        (cents // 100).cast(pl.String),
        pl.lit("."),
        (cents % 100).cast(pl.String).str.pad_start(2, "0"),
    )
    too_long = pl.col(whole).str.len_chars() > MONEY_INTEGER_DIGITS
    return frame.select(
        pl.when(~too_long).then(text.cast(MONEY, strict=False))
    ).to_series()


def count(raw: pl.Series) -> pl.Series:
    """Whole numbers such as mold sets: "12", "1,200", "3.0" (from Excel)."""
    counted = _tiered(
        raw,
        [
            lambda s: s.cast(pl.Int64, strict=False),
            lambda s: _on(
                s,
                pl.when(
                    pl.col("v").str.contains(
                        r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$"
                    )
                ).then(
                    pl.col("v")
                    .str.replace_all(",", "", literal=True)
                    .str.replace(r"\.0*$", "")
                    .cast(pl.Int64, strict=False)
                ),
            ),
        ],
    )
    return _on(counted, pl.when(pl.col("v").abs() <= COUNT_MAX).then(pl.col("v")))


def year(raw: pl.Series) -> pl.Series:
    """A four-digit year: "2026" or "2026年"."""
    return _on(
        raw,
        pl.when(pl.col("v").str.contains(r"^\d{4}(?:年|\.0*)?$")).then(
            pl.col("v").str.slice(0, 4).cast(pl.Int32)
        ),
    )


def month_number(raw: pl.Series) -> pl.Series:
    """A month of the year as written: "3", "03", "3月" (range checked apart)."""
    return _on(
        raw,
        pl.when(pl.col("v").str.contains(r"^\d{1,2}(?:月|\.0*)?$")).then(
            pl.col("v").str.extract(r"^(\d{1,2})").cast(pl.Int32)
        ),
    )


def date(raw: pl.Series) -> pl.Series:
    """Dates: 2026-03-05, 2026/3/5, 2026年3月5日 or an Excel serial date.

    A time of day after the date (as Excel writes date cells) is dropped.
    """
    return _tiered(
        raw,
        [
            lambda s: s.str.to_date("%Y-%m-%d", strict=False),
            lambda s: s.str.to_date("%Y/%m/%d", strict=False),
            lambda s: timestamp(s).dt.date(),
        ],
    )


def month(raw: pl.Series) -> pl.Series:
    """Months as the first day: 2026-03, 2026/3, 2026年3月, a full date or a serial."""
    return _tiered(
        raw,
        [
            lambda s: (s + "-01").str.to_date("%Y-%m-%d", strict=False),
            lambda s: (_dashed(s) + "-01").str.to_date("%Y-%m-%d", strict=False),
            lambda s: date(s).dt.truncate("1mo"),
        ],
    )


def timestamp(raw: pl.Series) -> pl.Series:
    """A date or date-time: "2026-03-05 14:30[:00]", "2026/3/5 14:30", a date."""
    return _tiered(
        raw,
        [
            lambda s: s.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
            _dashed_timestamp,
            _serial_timestamp,
        ],
    )


def _dashed_timestamp(raw: pl.Series) -> pl.Series:
    dashed = _dashed(raw).str.replace("T", " ", literal=True)
    formats = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S%.f"]
    tiers: list[Tier] = [_datetime_format(f) for f in formats]
    tiers.append(
        lambda s: s.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us"))
    )
    return _tiered(dashed, tiers)


def _datetime_format(fmt: str) -> Tier:
    return lambda s: s.str.to_datetime(fmt, strict=False, time_unit="us")


def _serial_timestamp(raw: pl.Series) -> pl.Series:
    # Excel keeps the time of day as a fraction of a day; round to the second.
    days = pl.when(pl.col("v").str.contains(_SERIAL_PATTERN)).then(
        pl.col("v").cast(pl.Float64, strict=False)
    )
    seconds = (days * 86_400).round(0).cast(pl.Int64)
    epoch = pl.lit(dt.datetime.combine(EXCEL_EPOCH, dt.time())).cast(pl.Datetime("us"))
    return _on(raw, epoch + pl.duration(seconds=seconds))


def choice(raw: pl.Series, choices: Mapping[str, str]) -> pl.Series:
    """An enumeration value, Chinese or English, case- and space-insensitive."""
    # Most files write the stored value or the Chinese one exactly; only the
    # rest pay for normalising case and spaces.
    exact = dict(choices) | {stored: stored for stored in choices.values()}
    return _tiered(
        raw,
        [
            lambda s: s.replace_strict(exact, default=None, return_dtype=pl.String),
            lambda s: _on(
                s, pl.col("v").str.to_lowercase().str.replace_all(r"[\s_\-]+", "")
            ).replace_strict(choices, default=None, return_dtype=pl.String),
        ],
    )


def month_out_of_range(text: str) -> bool:
    """Whether a month-like text is well formed but names a month outside 1–12."""
    number = re.fullmatch(r"(\d{1,2})(?:月|\.0*)?", text)
    if number:
        return not 1 <= int(number.group(1)) <= 12
    dashed = re.sub(r"\s+", " ", re.sub("[年/月]", "-", text).replace("日", ""))
    parts = _DATE_PARTS.fullmatch(dashed.rstrip("-"))
    return parts is not None and not 1 <= int(parts.group(2)) <= 12


def money_too_large(text: str) -> bool:
    """Whether a well-formed amount has more integer digits than DECIMAL(18,2) holds."""
    if not _MONEY_SHAPE.fullmatch(text):
        return False
    whole = text.lstrip("+-").split(".")[0].replace(",", "")
    return len(whole) > MONEY_INTEGER_DIGITS
