"""The APS/PMC hand-off (SPEC §8) against a hand-built warehouse."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from handoffs.aps_export import (
    build_aps_export,
    format_from_path,
    neutralise,
    read_aps_export,
)
from warehouse import Warehouse
from warehouse.errors import ForecastError
from warehouse.users import OPERATOR, Actor

AS_OF = date(2026, 3, 15)
INJECTED_NAME = '=HYPERLINK("http://x","y")'
INJECTED_CUSTOMER = "@SUM(A1)"


@pytest.fixture
def case(rows) -> None:
    """Three integrated deals, two commodity deals, quotes at every stage.

    I1 (汽车, 张三, opportunity): rolling submitted 01-10 (superseded) and 02-01,
        precision 03-01, rolling 04-01 (after the as-of date) — two months each.
    I2 (医疗, 李四, mass_production): one rolling month.
    I3 (汽车, 张三, Lost): never exported.
    C1 (汽车, 王五, commodity): quotes M Potential (never), H Potential ≤ D
        (exported), Secured after D (not yet).
    C2 (汽车, 王五, commodity, Lost): its H Potential quote is not exported.
    """
    rows.deal("I1", deal_name=INJECTED_NAME, customer=INJECTED_CUSTOMER)
    rows.deal(
        "I2",
        track="医疗",
        account_manager="李四",
        phase="mass_production",
        stage="Secured",
    )
    rows.deal("I3", stage="Lost")
    rows.deal("C1", business_line="commodity", account_manager="王五")
    rows.deal("C2", business_line="commodity", account_manager="王五", stage="Lost")

    for submitted, version, amount in [
        (datetime(2026, 1, 10), "rolling", "900"),
        (datetime(2026, 2, 1), "rolling", "1000"),
        (datetime(2026, 3, 1, 15, 30), "precision", "800"),
        (datetime(2026, 4, 1), "rolling", "5000"),
    ]:
        for month in (date(2026, 5, 1), date(2026, 6, 1)):
            rows.forecast(
                "I1",
                version,
                submitted,
                month,
                order_amount=amount,
                mold_sets=2,
                mold_sales="100.50",
                product_sales="0",
            )
    rows.forecast(
        "I2",
        "rolling",
        datetime(2026, 2, 20),
        date(2026, 4, 1),
        mold_sales="0",
        product_sales="2500.75",
    )
    rows.forecast(
        "I3", "rolling", datetime(2026, 2, 20), date(2026, 4, 1), order_amount="300"
    )

    rows.quote("Q1", "C1", "M Potential", date(2026, 2, 1), "700")
    rows.quote("Q2", "C1", "H Potential", date(2026, 3, 15), "1200")
    rows.quote("Q3", "C1", "Secured", date(2026, 3, 16), "1300")
    rows.quote("Q4", "C2", "H Potential", date(2026, 3, 1), "400")


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(content[3:].decode("utf-8"))))


def test_export_integrated_latest_of_each_version_not_lost(
    warehouse: Warehouse, case: None
) -> None:
    with warehouse.cursor() as cur:
        export = read_aps_export(cur, AS_OF, OPERATOR)

    got = sorted(
        (
            r["deal_id"],
            r["version"],
            str(r["submitted_at"]),
            str(r["month"]),
            r["order_amount"],
        )
        for r in export.integrated.iter_rows(named=True)
    )

    # I1: latest rolling ≤ D is 02-01 (01-10 superseded, 04-01 after D), latest
    # precision is 03-01; both versions, both months. I2: its one month. I3: lost.
    assert got == [
        ("I1", "precision", "2026-03-01 15:30:00", "2026-05-01", Decimal("800.00")),
        ("I1", "precision", "2026-03-01 15:30:00", "2026-06-01", Decimal("800.00")),
        ("I1", "rolling", "2026-02-01 00:00:00", "2026-05-01", Decimal("1000.00")),
        ("I1", "rolling", "2026-02-01 00:00:00", "2026-06-01", Decimal("1000.00")),
        ("I2", "rolling", "2026-02-20 00:00:00", "2026-04-01", Decimal("0.00")),
    ]
    phases = {r["deal_id"]: r["phase"] for r in export.integrated.iter_rows(named=True)}
    assert phases == {"I1": "opportunity", "I2": "mass_production"}


def test_export_commodity_only_h_potential_or_later_dated_by_as_of(
    warehouse: Warehouse, case: None
) -> None:
    with warehouse.cursor() as cur:
        export = read_aps_export(cur, AS_OF, OPERATOR)

    assert export.commodity["quote_id"].to_list() == ["Q2"]
    assert export.commodity["quote_amount"].to_list() == [Decimal("1200.00")]


def test_export_csv_neutralises_formulas_and_keeps_numbers(
    warehouse: Warehouse, case: None
) -> None:
    content = build_aps_export(warehouse, AS_OF, OPERATOR, "csv")
    lines = _csv_rows(content)

    # 5 integrated rows + 1 commodity quote, as in the two tests above.
    assert len(lines) == 6
    i1 = [line for line in lines if line["deal_id"] == "I1"]
    assert {line["deal_name"] for line in i1} == {"'" + INJECTED_NAME}
    assert {line["customer"] for line in i1} == {"'" + INJECTED_CUSTOMER}
    assert {line["month"] for line in i1} == {"2026-05", "2026-06"}
    assert {Decimal(line["mold_sales"]) for line in i1} == {Decimal("100.50")}
    assert {line["mold_sets"] for line in i1} == {"2"}

    for line in lines:
        for column, value in line.items():
            assert value[:1] not in ("=", "+", "-", "@"), (column, value)

    quote = next(line for line in lines if line["business_line"] == "commodity")
    assert (quote["quote_id"], quote["quote_stage"], quote["quoted_on"]) == (
        "Q2",
        "H Potential",
        "2026-03-15",
    )
    assert Decimal(quote["quote_amount"]) == Decimal("1200.00")


def test_export_xlsx_neutralises_formulas_and_types_cells(
    warehouse: Warehouse, case: None, tmp_path: Path
) -> None:
    path = tmp_path / "aps.xlsx"
    path.write_bytes(build_aps_export(warehouse, AS_OF, OPERATOR, "xlsx"))

    integrated = pl.read_excel(path, sheet_name="integrated")
    commodity = pl.read_excel(path, sheet_name="commodity")

    assert integrated.height == 5
    i1 = integrated.filter(pl.col("deal_id") == "I1")
    assert set(i1["deal_name"]) == {"'" + INJECTED_NAME}
    assert set(i1["customer"]) == {"'" + INJECTED_CUSTOMER}
    assert i1["order_amount"].dtype.is_numeric()
    # Numbers read back as numbers: 100.50 mold sales, 2 sets per month.
    assert set(i1["mold_sales"].to_list()) == {100.5}
    assert set(i1["mold_sets"].to_list()) == {2}
    assert commodity["quote_id"].to_list() == ["Q2"]
    assert commodity["quote_amount"].to_list() == [1200.0]


@pytest.mark.parametrize(
    ("actor", "deals"),
    [
        (Actor("li", "account_manager", account_manager="李四"), {"I2"}),
        (Actor("wang", "account_manager", account_manager="王五"), {"C1"}),
        (Actor("dir", "track_director", tracks=("汽车",)), {"I1", "C1"}),
        (Actor("dir2", "track_director", tracks=("医疗",)), {"I2"}),
        (Actor("boss", "ceo"), {"I1", "I2", "C1"}),
    ],
)
def test_export_scope_follows_actor(
    warehouse: Warehouse, case: None, actor: Actor, deals: set[str]
) -> None:
    with warehouse.cursor() as cur:
        export = read_aps_export(cur, AS_OF, actor)

    seen = set(export.integrated["deal_id"]) | set(export.commodity["deal_id"])
    assert seen == deals


def test_export_is_audited(warehouse: Warehouse, case: None) -> None:
    build_aps_export(warehouse, AS_OF, OPERATOR, "xlsx")

    with warehouse.cursor() as cur:
        rows = cur.execute(
            "SELECT user_name, action, subject, detail FROM audit_log"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("operator", "export.aps", "2026-03-15")
    ]
    assert json.loads(rows[0][3]) == {
        "format": "xlsx",
        "integrated_rows": 5,
        "commodity_rows": 1,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =A1", "'  =A1"),
        ("\t=A1", "'\t=A1"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("客户-甲", "客户-甲"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_formula_starts_only(text: str, expected: str) -> None:
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    ("name", "fmt"), [("a.csv", "csv"), ("A.XLSX", "xlsx"), ("dir.v2/out.csv", "csv")]
)
def test_format_from_path_by_extension(name: str, fmt: str) -> None:
    assert format_from_path(name) == fmt


@pytest.mark.parametrize("name", ["out.pdf", "out", "out.xls"])
def test_format_from_path_unknown_refused(name: str) -> None:
    with pytest.raises(ForecastError, match=r"\.csv or \.xlsx"):
        format_from_path(name)


def test_cli_export_aps_writes_csv(
    run_cli, warehouse: Warehouse, case: None, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "aps.csv"
    warehouse.close()

    result = run_cli("export", "aps", "--as-of", "2026-03-15", "--out", str(out))

    assert result.code == 0, result.err
    assert len(_csv_rows(out.read_bytes())) == 6


def test_cli_export_aps_scoped_to_user(
    run_cli, rows, warehouse: Warehouse, case: None, tmp_path: Path
) -> None:
    rows.user("li", "account_manager", account_manager="李四")
    out = tmp_path / "li.csv"
    warehouse.close()

    result = run_cli(
        "--user", "li", "export", "aps", "--as-of", "2026-03-15", "--out", str(out)
    )

    assert result.code == 0, result.err
    assert {line["deal_id"] for line in _csv_rows(out.read_bytes())} == {"I2"}


def test_cli_export_aps_unknown_extension_exit_1(run_cli, tmp_path: Path) -> None:
    result = run_cli(
        "export", "aps", "--as-of", "2026-03-15", "--out", str(tmp_path / "a.pdf")
    )

    assert result.code == 1
    assert ".csv" in result.err
