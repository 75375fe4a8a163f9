"""ui.format: amounts in 万元 (÷ 10,000, half-up to 0.01), ratios and shares as text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ui import format as fmt


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        # 12,345,678.90 ÷ 10,000 = 1,234.567890 → 1,234.57
        (Decimal("12345678.90"), "zh", "1,234.57 万元"),
        # −22,311,331.89 ÷ 10,000 = −2,231.133189 → −2,231.13
        (Decimal("-22311331.89"), "zh", "-2,231.13 万元"),
        # 50 ÷ 10,000 = 0.005 → half-up 0.01; 49 → 0.0049 → 0.00
        (Decimal("50"), "zh", "0.01 万元"),
        (Decimal("49"), "zh", "0.00 万元"),
        # A JSON float reads through its shortest text: 1154150000.0 → 115,415.00
        (1154150000.0, "zh", "115,415.00 万元"),
        # 1,234,567 ÷ 10,000 = 123.4567 → 123.46
        (Decimal("1234567"), "en", "123.46 (10k CNY)"),
        (None, "zh", "—"),
    ],
)
def test_money_in_wan(amount, lang: str, expected: str) -> None:
    assert fmt.money(amount, lang) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("10000"), Decimal("1.00")),
        (Decimal("15000.50"), Decimal("1.50")),  # 1.500050 → 1.50
        (Decimal("-5"), Decimal("-0.00")),  # −0.0005 → −0.00 (a Decimal zero)
        (None, None),
    ],
)
def test_wan_converts_to_ten_thousands(amount, expected) -> None:
    assert fmt.wan(amount) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (Decimal("1.835"), "zh", "1.84 倍"),  # half-up at the cent
        (Decimal("0.0816"), "en", "0.08×"),
        (None, "zh", "—"),
    ],
)
def test_ratio_as_multiple(value, lang: str, expected: str) -> None:
    assert fmt.ratio(value, lang) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (Decimal("0.87345"), "87.3%"),  # 87.345 → 87.3
        (Decimal("0.8735"), "87.4%"),  # 87.35 → half-up 87.4
        (Decimal("1"), "100.0%"),
        (0.6495, "65.0%"),  # a JSON ratio: 64.95 → 65.0
        (None, "—"),
    ],
)
def test_percent_one_decimal(share, expected: str) -> None:
    assert fmt.percent(share) == expected


def test_month_label_is_year_dash_month() -> None:
    assert fmt.month_label(date(2026, 3, 1)) == "2026-03"
    assert fmt.month_label(None) == "—"
