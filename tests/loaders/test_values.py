"""Cell parsers: every accepted spelling of SPEC §3, and what they refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from loaders import values
from loaders.extracts import (
    BUSINESS_LINES,
    CURRENCIES,
    METRICS,
    PHASES,
    PLAN_OR_ACTUAL,
    SHIPMENT_KINDS,
    SOURCES,
    STAGES,
    VERSIONS,
)

# 46086 days after Excel's day zero (1899-12-30) is 2026-03-05:
# 1900-01-01 … 2026-01-01 is 126 years with 31 leap days = 126·365 + 31 = 46021
# days, plus the 2 days of 1899-12-30/31, plus Jan 31 + Feb 28 + 4 = 63 days
# into 2026: 46021 + 2 + 63 = 46086.
SERIAL_2026_03_05 = 46086
MARCH_5 = dt.date(2026, 3, 5)


def one(parser, text: str | None):  # type: ignore[no-untyped-def]
    """Run a parser on a one-cell column."""
    return parser(pl.Series("v", [text], dtype=pl.String))[0]


def test_serial_constant_matches_excel_day_zero() -> None:
    assert values.EXCEL_EPOCH + dt.timedelta(days=SERIAL_2026_03_05) == MARCH_5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567.50", Decimal("1234567.50")),
        ("1,234,567.50", Decimal("1234567.50")),
        ("1,234,567", Decimal("1234567.00")),
        ("1234567.5", Decimal("1234567.50")),
        ("1234567.", Decimal("1234567.00")),
        ("0", Decimal("0.00")),
        ("+12", Decimal("12.00")),
        ("-12.5", Decimal("-12.50")),  # parsed; refused later as negative
        # Half-up on the third decimal: .005 → .01, .004 → .00, and the
        # half-to-even cases 2.675 → 2.68 and 0.125 → 0.13 still go up.
        ("1.005", Decimal("1.01")),
        ("1.004", Decimal("1.00")),
        ("1.0049999", Decimal("1.00")),
        ("2.675", Decimal("2.68")),
        ("0.125", Decimal("0.13")),
        ("9.995", Decimal("10.00")),
        ("1,000,000.005", Decimal("1000000.01")),
        ("-1.005", Decimal("-1.01")),
        # Sixteen integer digits fit DECIMAL(18,2); seventeen do not.
        ("9999999999999999.99", Decimal("9999999999999999.99")),
        ("99999999999999999", None),
        ("1,2,3", None),
        ("12,34.5", None),
        ("1.234,50", None),
        ("abc", None),
        ("¥100", None),
        ("1e3", None),
        (None, None),
    ],
)
def test_money_text_parses_to_cents(text: str | None, expected: Decimal | None) -> None:
    assert one(values.money, text) == expected


def test_money_column_mixes_exact_and_rounded_cells() -> None:
    column = pl.Series("v", ["1.5", "1.005", None, "x", "2,000.125"], dtype=pl.String)

    parsed = values.money(column).to_list()

    assert parsed == [Decimal("1.50"), Decimal("1.01"), None, None, Decimal("2000.13")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("1,200", 1200),
        ("3.0", 3),
        ("-2", -2),
        ("3.5", None),
        ("x", None),
        # INTEGER holds up to 2**31 − 1 = 2,147,483,647.
        ("2147483647", 2147483647),
        ("2147483648", None),
    ],
)
def test_count_text_parses_to_whole_number(text: str, expected: int | None) -> None:
    assert one(values.count, text) == expected


@pytest.mark.parametrize(
    "text",
    ["2026-03-05", "2026/3/5", "2026/03/05", "2026-3-5", "2026年3月5日",
     str(SERIAL_2026_03_05), "2026-03-05 00:00:00", "2026-03-05 14:30"],
)  # fmt: skip
def test_date_accepted_spelling_gives_march_5(text: str) -> None:
    assert one(values.date, text) == MARCH_5


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "2026", "05/03/2026", "3月5日", "1234", "x"]
)
def test_date_unparseable_is_null(text: str) -> None:
    assert one(values.date, text) is None


@pytest.mark.parametrize(
    "text",
    ["2026-03", "2026-3", "2026/3", "2026/03", "2026年3月", "2026年03月",
     "2026-03-05", "2026年3月5日", str(SERIAL_2026_03_05)],
)  # fmt: skip
def test_month_accepted_spelling_gives_first_of_march(text: str) -> None:
    assert one(values.month, text) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026年13月", "03", "March"])
def test_month_unparseable_is_null(text: str) -> None:
    assert one(values.month, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05 14:30", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05 14:30:15", dt.datetime(2026, 3, 5, 14, 30, 15)),
        ("2026/3/5 14:30", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026/3/5 9:05", dt.datetime(2026, 3, 5, 9, 5)),
        ("2026-03-05T14:30:00", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日 14:30", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05", dt.datetime(2026, 3, 5)),
        ("2026/3/5", dt.datetime(2026, 3, 5)),
        # 14:30 is 14.5 / 24 = 0.6041666… of a day after the serial date.
        (f"{SERIAL_2026_03_05}.6041666667", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05 25:00", None),
        ("yesterday", None),
    ],
)
def test_timestamp_accepts_date_or_date_time(
    text: str, expected: dt.datetime | None
) -> None:
    assert one(values.timestamp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("2026", 2026), ("2026年", 2026), ("26", None), ("x", None)]
)
def test_year_four_digits(text: str, expected: int | None) -> None:
    assert one(values.year, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("03", 3), ("3月", 3), ("12", 12), ("13", 13), ("0", 0), ("三月", None)],
)
def test_month_number_keeps_out_of_range_for_the_range_check(
    text: str, expected: int | None
) -> None:
    assert one(values.month_number, text) == expected


@pytest.mark.parametrize(
    ("choices", "text", "expected"),
    [
        (BUSINESS_LINES, "模塑一体", "integrated"),
        (BUSINESS_LINES, "Integrated", "integrated"),
        (BUSINESS_LINES, "商品模", "commodity"),
        (PHASES, "机会", "opportunity"),
        (PHASES, "模具开发", "mold_development"),
        (PHASES, "mold development", "mold_development"),
        (PHASES, "Mold_Development", "mold_development"),
        (PHASES, "量产", "mass_production"),
        (STAGES, "L Potential", "L Potential"),
        (STAGES, "l potential", "L Potential"),
        (STAGES, "HPotential", "H Potential"),
        (STAGES, "SECURED", "Secured"),
        (VERSIONS, "滚动", "rolling"),
        (VERSIONS, "精度", "precision"),
        (VERSIONS, "H Potential", "precision"),
        (VERSIONS, "Precision", "precision"),
        (METRICS, "销售", "sales"),
        (METRICS, "接单", "orders"),
        (SHIPMENT_KINDS, "模具", "mold"),
        (SHIPMENT_KINDS, "product", "product"),
        (PLAN_OR_ACTUAL, "计划", "plan"),
        (PLAN_OR_ACTUAL, "Actual", "actual"),
        (SOURCES, "aps", "APS"),
        (SOURCES, "PM", "PM"),
        (CURRENCIES, "RMB", "CNY"),
        (STAGES, "Won", None),
        (PHASES, "量产中", None),
        (CURRENCIES, "USD", None),
    ],
)
def test_choice_chinese_or_english_spelling(
    choices: dict[str, str], text: str, expected: str | None
) -> None:
    assert one(lambda s: values.choice(s, choices), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13", True), ("0", True), ("2026-13", True), ("2026年13月", True),
     ("2026-13-05", True), ("12", False), ("2026-03", False), ("x", False)],
)  # fmt: skip
def test_month_out_of_range_tells_range_from_garbage(text: str, expected: bool) -> None:
    assert values.month_out_of_range(text) is expected
