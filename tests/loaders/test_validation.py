"""Parsing an extract on its own: headers, defaults, extras and in-file problems."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from loaders.extracts import EXTRACTS
from loaders.reading import read_table
from loaders.validation import Parsed, parse_extract

QUOTES = "报价编号,商机编号,报价阶段,报价日期,报价金额\n"


def parse(kind: str, text: str) -> Parsed:
    return parse_extract(EXTRACTS[kind], read_table(text.encode()))


@pytest.mark.parametrize(
    "header",
    [
        "商机编号,预测版本,提交时间,月份,接单金额,模具套数,模具销售金额,产品销售金额",
        "deal_id,version,submitted_at,month,order_amount,mold_sets,mold_sales,product_sales",
        # Shuffled, mixed languages, stray spaces and capitals.
        " Month ,产品销售金额,DEAL_ID,Version,submitted at,模具套数,Order_Amount,"
        "mold sales",
        "月份·month,商机编号(deal_id),预测版本,提交时间,接单金额,模具套数,模具销售金额,"
        "产品销售金额",
    ],
)
def test_parse_extract_header_in_any_order_and_language(header: str) -> None:
    values = {
        "商机编号": "D1", "deal_id": "D1", "预测版本": "滚动", "version": "滚动",
        "提交时间": "2026-03-05 14:30", "submitted_at": "2026-03-05 14:30",
        "月份": "2026-03", "month": "2026-03", "接单金额": "100", "order_amount": "100",
        "模具套数": "2", "mold_sets": "2", "模具销售金额": "30", "mold_sales": "30",
        "产品销售金额": "40", "product_sales": "40",
    }  # fmt: skip
    names = [h.strip() for h in header.split(",")]
    canonical = [
        n.split("·")[0].split("(")[0].strip().lower().replace(" ", "_") for n in names
    ]
    row = ",".join(
        values.get(name, values.get(name.capitalize(), "")) for name in canonical
    )

    parsed = parse("forecasts", f"{header}\n{row}\n")

    assert parsed.report.ok, parsed.report.render("en")
    assert parsed.frame.drop("line_no").rows() == [
        ("D1", "rolling", dt.datetime(2026, 3, 5, 14, 30), dt.date(2026, 3, 1),
         Decimal("100.00"), 2, Decimal("30.00"), Decimal("40.00"))
    ]  # fmt: skip


def test_parse_extract_sap_aliases_name_order_columns() -> None:
    text = (
        "Sales Document,Document Date,业务类型,赛道,客户经理,Sold-To Party,"
        "Net Value,Currency\n"
        '4500001,2026-03-05,商品模,家电,王五,客户C,"12,000.00",CNY\n'
    )

    parsed = parse("orders", text)

    assert parsed.report.ok, parsed.report.render("en")
    row = parsed.frame.row(0, named=True)
    assert (row["order_no"], row["customer"], row["net_value"], row["currency"]) == (
        "4500001",
        "客户C",
        Decimal("12000.00"),
        "CNY",
    )


def test_parse_extract_missing_required_columns_named_all_at_once() -> None:
    parsed = parse("forecasts", "商机编号,接单金额\nD1,5\n")

    assert parsed.report.missing_columns == [
        "预测版本 (version)",
        "提交时间 (submitted_at)",
        "月份 (month)",
    ]
    assert "月份 (month)" in parsed.report.render("zh")
    assert parsed.report.render("en").startswith(
        "Missing required columns: 预测版本 (version)"
    )


def test_parse_extract_shipments_need_deal_or_project_column() -> None:
    parsed = parse("shipments", "月份,类型,金额\n2026-03,模具,5\n")

    assert parsed.report.missing_columns == [
        "商机编号 (deal_id) / 项目编号 (project_id)"
    ]


def test_parse_extract_column_named_twice_is_a_problem() -> None:
    parsed = parse(
        "wip_plan", "月份,项目编号,month,赛道,计划销售金额\n2026-03,P1,2026-03,T,5\n"
    )

    (problem,) = parsed.report.problems
    assert (problem.line_no, problem.column, problem.reason) == (
        1,
        "month",
        "duplicate_column",
    )


def test_parse_extract_blank_optional_cells_take_their_defaults() -> None:
    parsed = parse(
        "shipments",
        '月份,项目编号,类型,金额,来源,计划或实际\n2026-03,P9,产品,"1,000",,\n',
    )

    assert parsed.report.ok, parsed.report.render("en")
    row = parsed.frame.row(0, named=True)
    # Blank deal and source are stored as '' (key parts); plan_or_actual
    # defaults to actual.
    assert (row["deal_id"], row["source"], row["plan_or_actual"]) == ("", "", "actual")
    assert row["amount"] == Decimal("1000.00")


def test_parse_extract_blank_optional_amounts_are_zero() -> None:
    parsed = parse(
        "forecasts",
        "商机编号,预测版本,提交时间,月份,接单金额,模具套数\n"
        "D1,rolling,2026-03-05,2026-03,,\n",
    )

    row = parsed.frame.row(0, named=True)
    assert (
        row["order_amount"],
        row["mold_sets"],
        row["mold_sales"],
        row["product_sales"],
    ) == (
        Decimal("0.00"),
        0,
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_parse_extract_targets_blank_dimensions_are_empty_strings() -> None:
    parsed = parse(
        "targets",
        "年份,业务类型,指标,月份,赛道,目标金额\n2026,模塑一体,销售,3月,,100\n",
    )

    row = parsed.frame.row(0, named=True)
    assert (
        row["month"],
        row["track"],
        row["account_manager"],
        row["profit_center"],
    ) == (
        3,
        "",
        "",
        "",
    )


def test_parse_extract_extra_columns_kept_as_json() -> None:
    parsed = parse(
        "wip_plan",
        "月份,项目编号,赛道,计划销售金额,备注,,负责人\n"
        "2026-03,P1,T,5,急单,,赵六\n"
        "2026-04,P1,T,6,,,\n",
    )

    assert parsed.report.ok
    assert parsed.extra_columns == ["备注", "负责人"]
    ((line, extras),) = parsed.extras.rows()
    assert line == 2
    assert json.loads(extras) == {"备注": "急单", "负责人": "赵六"}


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        # (line, column as in the header, value as written, reason)
        ("forecasts",
         "商机编号,预测版本,提交时间,月份\nD1,滚动,2026-03-05,2026-03\n,滚动,2026-03-05,2026-04\n",
         [(3, "商机编号", "", "missing_value")]),
        ("forecasts",
         "deal_id,version,submitted_at,month\nD1,draft,2026-03-05,2026-03\n",
         [(2, "version", "draft", "unknown_value")]),
        ("forecasts",
         "deal_id,version,submitted_at,month\nD1,rolling,2026-03-05,2026-13\n",
         [(2, "month", "2026-13", "month_out_of_range")]),
        ("forecasts",
         "deal_id,version,submitted_at,month,mold_sets\nD1,rolling,2026-03-05,2026-03,1.5\n",
         [(2, "mold_sets", "1.5", "bad_count")]),
        ("forecasts",
         "deal_id,version,submitted_at,month\nD1,rolling,soon,2026-03\n",
         [(2, "submitted_at", "soon", "bad_datetime")]),
        ("quotes",
         QUOTES + "Q1,D1,H Potential,2026-02-30,5\n",
         [(2, "报价日期", "2026-02-30", "bad_date")]),
        ("quotes",
         QUOTES + "Q1,D1,H Potential,2026-03-01,-5\n",
         [(2, "报价金额", "-5", "negative_amount")]),
        ("quotes",
         QUOTES + "Q1,D1,H Potential,2026-03-01,123456789012345678\n",
         [(2, "报价金额", "123456789012345678", "number_too_large")]),
        ("targets",
         "年份,业务类型,指标,月份,目标金额\n2026,模塑一体,销售,13,5\n",
         [(2, "月份", "13", "month_out_of_range")]),
        ("targets",
         "年份,业务类型,指标,月份,目标金额\n26,模塑一体,销售,1,5\n",
         [(2, "年份", "26", "bad_year")]),
        ("orders",
         "销售凭证,凭证日期,业务类型,赛道,客户经理,净值,货币\n1,2026-03-01,商品模,T,M,5,USD\n",
         [(2, "货币", "USD", "currency_not_cny")]),
        ("shipments",
         "月份,商机编号,项目编号,类型,金额\n2026-03,,,模具,5\n",
         [(2, "商机编号 / 项目编号", "", "no_deal_or_project")]),
        ("wip_plan",
         "月份,项目编号,赛道,计划销售金额\n2026-03,P1,T,5\n2026/3,P1,T,6\n",
         [(3, "月份+项目编号", "2026/3 / P1", "duplicate_key")]),
    ],
)  # fmt: skip
def test_parse_extract_reports_line_column_value_reason(
    kind: str, text: str, expected: list[tuple[int, str, str, str]]
) -> None:
    parsed = parse(kind, text)

    found = [(p.line_no, p.column, p.value, p.reason) for p in parsed.report.problems]
    assert found == expected


def test_parse_extract_duplicate_names_the_first_line() -> None:
    parsed = parse(
        "quotes",
        "报价编号,商机编号,报价阶段,报价日期\nQ1,D1,Lost,2026-03-01\nQ2,D1,Lost,2026-03-01\n"
        "Q1,D1,Lost,2026-03-02\n",
    )

    (problem,) = parsed.report.problems
    assert problem.line_no == 4
    assert "第 4 行与第 2 行" in problem.zh
    assert "Line 4 repeats line 2" in problem.en


def test_parse_extract_every_problem_reported_at_once() -> None:
    parsed = parse(
        "deals",
        "商机编号,业务类型,赛道,客户经理,商机类型,商机阶段,创建日期\n"
        "D1,模塑,T,M,机会,L Potential,2026-01-01\n"
        "D2,模塑一体,T,M,机会,X,2026-01-01\n"
        "D3,模塑一体,,M,机会,L Potential,yesterday\n",
    )

    assert [(p.line_no, p.reason) for p in parsed.report.problems] == [
        (2, "unknown_value"),
        (3, "unknown_value"),
        (4, "missing_value"),
        (4, "bad_date"),
    ]
