"""Loading extracts into the warehouse: all or nothing, logged, history kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import loaders
from loaders import load_file, validate
from warehouse import Warehouse
from warehouse.errors import BadExtract, NotFound
from warehouse.users import add_user

D = dt.date
T = dt.datetime
REPO = Path(__file__).resolve().parents[2]

FORECAST_HEADER = ["商机编号", "预测版本", "提交时间", "月份", "接单金额", "模具套数",
                   "模具销售金额", "产品销售金额"]  # fmt: skip
FORECAST_ROWS = [
    ["D1", "滚动", "2026-01-05 10:00", "2026-03", "1,000,000.00", "2", "500,000", ""],
    ["D1", "滚动", "2026-01-05 10:00", "2026-04", "", "", "", "80000.5"],
    ["D2", "精度", "2026/1/6 9:30", "2026年5月", "0", "1", "300000.004", "100.005"],
]
# Stored: blank amounts are 0, 2026年5月 is 2026-05-01, and cents round half-up
# (300000.004 → 300000.00, 100.005 → 100.01).
FORECASTS_STORED = [
    ("D1", "rolling", T(2026, 1, 5, 10, 0), D(2026, 3, 1),
     Decimal("1000000.00"), 2, Decimal("500000.00"), Decimal("0.00")),
    ("D1", "rolling", T(2026, 1, 5, 10, 0), D(2026, 4, 1),
     Decimal("0.00"), 0, Decimal("0.00"), Decimal("80000.50")),
    ("D2", "precision", T(2026, 1, 6, 9, 30), D(2026, 5, 1),
     Decimal("0.00"), 1, Decimal("300000.00"), Decimal("100.01")),
]  # fmt: skip
FORECASTS_SQL = (
    "SELECT deal_id, version::VARCHAR, submitted_at, month, order_amount, mold_sets,"
    " mold_sales, product_sales FROM forecasts ORDER BY deal_id, month"
)

# kind → (header, rows, query of what is stored, the rows it must return)
GOOD = {
    "deals": (
        ["deal_id", "deal_name", "business_line", "track", "account_manager",
         "phase", "stage", "created_on", "secured_on", "project_id", "planned_mp_on"],
        [["D3", "保险杠", "integrated", "汽车", "张三", "mass production", "secured",
          "2025/11/3", "2025年12月1日", "P3", "2026-04-01"]],
        "SELECT deal_id, deal_name, business_line::VARCHAR, track, account_manager,"
        " profit_center, phase::VARCHAR, stage::VARCHAR, created_on, secured_on,"
        " project_id, planned_mp_on FROM deals WHERE deal_id = 'D3'",
        [("D3", "保险杠", "integrated", "汽车", "张三", None, "mass_production",
          "Secured", D(2025, 11, 3), D(2025, 12, 1), "P3", D(2026, 4, 1))],
    ),
    "forecasts": (FORECAST_HEADER, FORECAST_ROWS, FORECASTS_SQL, FORECASTS_STORED),
    "quotes": (
        ["报价编号", "商机编号", "报价阶段", "报价日期", "报价金额"],
        [["Q1", "D1", "H Potential", "2026-03-05", "1,250,000"],
         ["Q2", "D2", "M Potential", "2026/2/1", ""]],
        "SELECT quote_id, deal_id, stage::VARCHAR, quoted_on, amount FROM quotes"
        " ORDER BY quote_id",
        [("Q1", "D1", "H Potential", D(2026, 3, 5), Decimal("1250000.00")),
         ("Q2", "D2", "M Potential", D(2026, 2, 1), Decimal("0.00"))],
    ),
    "targets": (
        ["年份", "业务类型", "指标", "月份", "赛道", "客户经理", "利润中心",
         "目标金额"],
        [["2026", "模塑一体", "销售", "1", "汽车", "", "", "5,000,000"],
         ["2026", "商品模", "接单", "2月", "", "王五", "", "800000"]],
        "SELECT year, business_line::VARCHAR, metric::VARCHAR, month, track,"
        " account_manager, profit_center, amount FROM targets ORDER BY month",
        [(2026, "integrated", "sales", 1, "汽车", "", "", Decimal("5000000.00")),
         (2026, "commodity", "orders", 2, "", "王五", "", Decimal("800000.00"))],
    ),
    "shipments": (
        ["月份", "商机编号", "项目编号", "类型", "金额", "来源", "计划或实际"],
        [["2026-02", "D1", "", "模具", "200,000", "ERP", ""],
         ["2026-02", "", "P2", "产品", "15000.5", "APS", "计划"]],
        "SELECT month, deal_id, project_id, kind::VARCHAR, amount, source,"
        " plan_or_actual::VARCHAR FROM shipments ORDER BY kind",
        [(D(2026, 2, 1), "D1", "", "mold", Decimal("200000.00"), "ERP", "actual"),
         (D(2026, 2, 1), "", "P2", "product", Decimal("15000.50"), "APS", "plan")],
    ),
    "orders": (
        ["Sales Document", "Document Date", "业务类型", "赛道", "客户经理", "利润中心",
         "Sold-To Party", "商机编号", "Net Value", "Currency"],
        [["4500000001", "2026-03-05", "商品模", "家电", "王五", "PC2", "客户C", "",
          "1,200,000.00", "CNY"],
         ["4500000002", "2026/3/6", "模塑一体", "汽车", "张三", "", "客户A", "D1",
          "99.99", ""]],
        "SELECT order_no, order_date, business_line::VARCHAR, track, account_manager,"
        " profit_center, customer, deal_id, net_value, currency FROM orders"
        " ORDER BY order_no",
        [("4500000001", D(2026, 3, 5), "commodity", "家电", "王五", "PC2", "客户C",
          None, Decimal("1200000.00"), "CNY"),
         ("4500000002", D(2026, 3, 6), "integrated", "汽车", "张三", None, "客户A",
          "D1", Decimal("99.99"), "CNY")],
    ),
    "wip_plan": (
        ["月份", "项目编号", "赛道", "利润中心", "计划销售金额"],
        [["2026年4月", "P7", "家电", "PC2", "330,000"]],
        "SELECT month, project_id, track, profit_center, planned_sales FROM wip_plan",
        [(D(2026, 4, 1), "P7", "家电", "PC2", Decimal("330000.00"))],
    ),
}  # fmt: skip


def load_log(query: Callable[..., list[tuple]]) -> list[tuple]:
    return query(
        "SELECT kind, outcome, rows_read, rows_loaded FROM load_log ORDER BY load_id"
    )


@pytest.mark.parametrize("kind", list(GOOD))
def test_load_file_good_file_stored_as_parsed(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
    kind: str,
) -> None:
    header, rows, sql, stored = GOOD[kind]

    result = load_file(with_deals, kind, write_csv(f"{kind}.csv", header, rows))

    assert (result.outcome, result.rows_read, result.rows_loaded) == (
        "loaded",
        len(rows),
        len(rows),
    )
    assert query(sql) == stored
    assert load_log(query)[-1] == (kind, "loaded", len(rows), len(rows))


def test_load_file_kinds_are_those_of_the_spec() -> None:
    assert loaders.KINDS == (
        "deals", "forecasts", "quotes", "targets", "shipments", "orders", "wip_plan"
    )  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_load_file_csv_encoding_stores_the_same_rows(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
    encoding: str,
) -> None:
    path = write_csv("forecasts.csv", FORECAST_HEADER, FORECAST_ROWS, encoding=encoding)

    load_file(with_deals, "forecasts", path)

    assert query(FORECASTS_SQL) == FORECASTS_STORED


def test_load_file_xlsx_typed_cells_store_the_same_rows(
    with_deals: Warehouse,
    write_xlsx: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    # The same forecasts as FORECAST_ROWS, typed as Excel keeps them: date-times,
    # a month as a date cell and one as an Excel serial number (46082 is
    # 2026-03-01), amounts as numbers or text with separators.
    rows = [
        ["D1", "滚动", T(2026, 1, 5, 10, 0), 46082, "1,000,000.00", 2, 500000, None],
        ["D1", "滚动", T(2026, 1, 5, 10, 0), D(2026, 4, 1), None, None, None, 80000.5],
        ["D2", "精度", T(2026, 1, 6, 9, 30), "2026年5月", 0, 1, 300000.004, 100.005],
    ]
    path = write_xlsx("forecasts.xlsx", FORECAST_HEADER, rows)

    load_file(with_deals, "forecasts", path)

    assert query(FORECASTS_SQL) == FORECASTS_STORED


def test_load_file_xlsx_named_sheet(
    with_deals: Warehouse,
    write_xlsx: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    path = write_xlsx(
        "wip.xlsx", GOOD["wip_plan"][0], GOOD["wip_plan"][1], sheet="计划"
    )

    load_file(with_deals, "wip_plan", path, sheet="计划")

    assert query(GOOD["wip_plan"][2]) == GOOD["wip_plan"][3]


# One file per bad-input class of SPEC §3: (kind, header, rows, the problem as
# (line, column as in the header, value as written, reason)).
BAD = {
    "unparseable date": (
        "quotes", ["报价编号", "商机编号", "报价阶段", "报价日期"],
        [["Q1", "D1", "Lost", "2026-03-01"], ["Q2", "D1", "Lost", "2026/02/30"]],
        (3, "报价日期", "2026/02/30", "bad_date"),
    ),
    "unparseable month": (
        "wip_plan", ["月份", "项目编号", "赛道", "计划销售金额"],
        [["三月", "P1", "T", "5"]],
        (2, "月份", "三月", "bad_month"),
    ),
    "unparseable number": (
        "forecasts", ["deal_id", "version", "submitted_at", "month", "order_amount"],
        [["D1", "rolling", "2026-03-05", "2026-03", "12,34"]],
        (2, "order_amount", "12,34", "bad_number"),
    ),
    "negative amount": (
        "shipments", ["月份", "商机编号", "类型", "金额"],
        [["2026-02", "D1", "模具", "-5"]],
        (2, "金额", "-5", "negative_amount"),
    ),
    "unknown enumeration": (
        "deals",
        ["商机编号", "业务类型", "赛道", "客户经理", "商机类型", "商机阶段",
         "创建日期"],
        [["D5", "模塑一体", "T", "M", "量产中", "Secured", "2026-01-01"]],
        (2, "商机类型", "量产中", "unknown_value"),
    ),
    "missing required value": (
        "wip_plan", ["月份", "项目编号", "赛道", "计划销售金额"],
        [["2026-03", "P1", "", "5"]],
        (2, "赛道", "", "missing_value"),
    ),
    "month outside 1-12": (
        "targets", ["年份", "业务类型", "指标", "月份", "目标金额"],
        [["2026", "模塑一体", "销售", "13", "5"]],
        (2, "月份", "13", "month_out_of_range"),
    ),
    "duplicate key inside the file": (
        "quotes", ["报价编号", "商机编号", "报价阶段", "报价日期"],
        [["Q1", "D1", "Lost", "2026-03-01"], ["Q1", "D2", "Lost", "2026-03-02"]],
        (3, "报价编号", "Q1", "duplicate_key"),
    ),
    "forecast for an unknown deal": (
        "forecasts", ["商机编号", "预测版本", "提交时间", "月份"],
        [["D1", "滚动", "2026-03-05", "2026-03"],
         ["D404", "滚动", "2026-03-05", "2026-03"]],
        (3, "商机编号", "D404", "unknown_deal"),
    ),
    "quote for an unknown deal": (
        "quotes", ["报价编号", "商机编号", "报价阶段", "报价日期"],
        [["Q9", "D404", "Lost", "2026-03-01"]],
        (2, "商机编号", "D404", "unknown_deal"),
    ),
    "shipment with neither deal nor project": (
        "shipments", ["月份", "商机编号", "项目编号", "类型", "金额"],
        [["2026-02", "", "", "产品", "5"]],
        (2, "商机编号 / 项目编号", "", "no_deal_or_project"),
    ),
    "currency other than CNY": (
        "orders",
        ["销售凭证", "凭证日期", "业务类型", "赛道", "客户经理", "净值", "货币"],
        [["1", "2026-03-01", "商品模", "T", "M", "5", "USD"]],
        (2, "货币", "USD", "currency_not_cny"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_load_file_bad_input_refused_whole_and_logged(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    fingerprint: Callable[..., dict[str, tuple[int, int]]],
    query: Callable[..., list[tuple]],
    case: str,
) -> None:
    kind, header, rows, (line, column, value, reason) = BAD[case]
    before = fingerprint(skip=("load_log",))
    logged_before = len(load_log(query))

    with pytest.raises(BadExtract) as refused:
        load_file(with_deals, kind, write_csv("bad.csv", header, rows))

    report = refused.value.report
    assert isinstance(report, loaders.LoadReport)
    assert [(p.line_no, p.column, p.value, p.reason) for p in report.problems] == [
        (line, column, value, reason)
    ]
    assert f"第 {line} 行" in report.render("zh")
    assert f"Line {line}" in report.render("en")
    assert fingerprint(skip=("load_log",)) == before
    logged = load_log(query)
    assert len(logged) == logged_before + 1
    assert logged[-1][:2] == (kind, "rejected")


def test_load_file_rejected_log_keeps_count_and_first_problems(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    rows = [["2026-03", f"P{i}", "", "5"] for i in range(60)]

    with pytest.raises(BadExtract):
        load_file(
            with_deals,
            "wip_plan",
            write_csv("w.csv", GOOD["wip_plan"][0][:3] + ["计划销售金额"], rows),
        )

    ((rows_read, rows_rejected, problem_count, detail),) = query(
        "SELECT rows_read, rows_rejected, problem_count, detail FROM load_log"
        " WHERE outcome = 'rejected'"
    )
    # 60 rows each missing 赛道: 60 problems on 60 lines; the log keeps 50.
    assert (rows_read, rows_rejected, problem_count) == (60, 60, 60)
    assert len(json.loads(detail)["problems"]) == 50


def test_load_file_missing_columns_named_and_nothing_written(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    fingerprint: Callable[..., dict[str, tuple[int, int]]],
) -> None:
    before = fingerprint(skip=("load_log",))

    with pytest.raises(BadExtract) as refused:
        load_file(
            with_deals,
            "quotes",
            write_csv("q.csv", ["报价编号", "备注"], [["Q1", "x"]]),
        )

    report = refused.value.report
    assert isinstance(report, loaders.LoadReport)
    assert report.missing_columns == [
        "商机编号 (deal_id)",
        "报价阶段 (stage)",
        "报价日期 (quoted_on)",
    ]
    assert fingerprint(skip=("load_log",)) == before


def test_load_file_same_content_again_is_a_logged_no_op(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    fingerprint: Callable[..., dict[str, tuple[int, int]]],
    query: Callable[..., list[tuple]],
) -> None:
    path = write_csv("f.csv", FORECAST_HEADER, FORECAST_ROWS)
    first = load_file(with_deals, "forecasts", path)
    before = fingerprint(skip=("load_log",))

    again = load_file(with_deals, "forecasts", path, file_name="renamed.csv")

    assert again.outcome == "unchanged"
    assert again.rows_loaded == 0
    assert again.counts == {"same_as_load_id": first.load_id}
    assert "文件已导入过，未做任何更改" in again.render("zh")
    assert "Already loaded, nothing changed" in again.render("en")
    assert fingerprint(skip=("load_log",)) == before
    assert load_log(query)[-1] == ("forecasts", "unchanged", 3, 0)


def test_load_file_forecast_resent_with_other_figures_refused(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    load_file(
        with_deals, "forecasts", write_csv("f1.csv", FORECAST_HEADER, FORECAST_ROWS)
    )
    changed = [row.copy() for row in FORECAST_ROWS]
    changed[0][4] = "2,000,000"

    with pytest.raises(BadExtract) as refused:
        load_file(
            with_deals, "forecasts", write_csv("f2.csv", FORECAST_HEADER, changed)
        )

    report = refused.value.report
    assert isinstance(report, loaders.LoadReport)
    (problem,) = report.problems
    assert (problem.line_no, problem.reason) == (2, "forecast_exists")
    assert "send it with a new submitted_at" in problem.en
    assert query(FORECASTS_SQL) == FORECASTS_STORED


def test_load_file_forecast_new_submission_added_beside_the_old(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    load_file(
        with_deals, "forecasts", write_csv("f1.csv", FORECAST_HEADER, FORECAST_ROWS)
    )
    # The same three rows again (identical: skipped) plus a new revision of
    # D1's March forecast submitted a month later.
    revision = [
        "D1",
        "滚动",
        "2026-02-05 10:00",
        "2026-03",
        "900000",
        "2",
        "500000",
        "",
    ]

    result = load_file(
        with_deals,
        "forecasts",
        write_csv("f2.csv", FORECAST_HEADER, [*FORECAST_ROWS, revision]),
    )

    assert result.counts == {"inserted": 1, "skipped_identical": 3}
    assert result.rows_loaded == 1
    assert query(
        "SELECT submitted_at, order_amount FROM forecasts"
        " WHERE deal_id = 'D1' AND month = DATE '2026-03-01' ORDER BY submitted_at"
    ) == [
        (T(2026, 1, 5, 10), Decimal("1000000.00")),
        (T(2026, 2, 5, 10), Decimal("900000.00")),
    ]


def test_load_file_deals_latest_wins_and_history_kept(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    header = [
        "商机编号",
        "业务类型",
        "赛道",
        "客户经理",
        "商机类型",
        "商机阶段",
        "创建日期",
    ]
    rows = [
        ["D1", "模塑一体", "汽车", "张三", "机会", "M Potential", "2026-01-05"],
        ["D4", "商品模", "家电", "王五", "机会", "L Potential", "2026-03-01"],
    ]

    result = load_file(with_deals, "deals", write_csv("deals2.csv", header, rows))

    # D1 existed (replaced), D4 is new; D2 is not in this file and stays.
    assert result.counts == {"inserted": 1, "replaced": 1, "identical": 0}
    assert query("SELECT deal_id, stage::VARCHAR FROM deals ORDER BY deal_id") == [
        ("D1", "M Potential"), ("D2", "Secured"), ("D4", "L Potential")
    ]  # fmt: skip
    assert query(
        "SELECT stage::VARCHAR, load_id FROM deal_versions WHERE deal_id = 'D1'"
        " ORDER BY load_id"
    ) == [("L Potential", 1), ("M Potential", result.load_id)]


def test_load_file_shipment_resent_replaces_current_and_keeps_history(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    header = ["月份", "商机编号", "类型", "金额", "来源"]
    load_file(
        with_deals,
        "shipments",
        write_csv("s1.csv", header, [["2026-02", "D1", "模具", "100", "ERP"]]),
    )

    result = load_file(
        with_deals,
        "shipments",
        write_csv("s2.csv", header, [["2026-02", "D1", "模具", "120", "ERP"]]),
    )

    assert result.counts["replaced"] == 1
    assert query("SELECT amount FROM shipments") == [(Decimal("120.00"),)]
    assert query("SELECT amount FROM shipment_versions ORDER BY load_id") == [
        (Decimal("100.00"),), (Decimal("120.00"),)
    ]  # fmt: skip


def test_load_file_unmatched_shipments_kept_and_counted(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    rows = [
        ["2026-02", "D1", "", "模具", "1"],  # matches deal D1
        ["2026-02", "", "P2", "产品", "2"],  # matches D2 through its project P2
        ["2026-02", "", "P9", "产品", "3"],  # no deal carries P9: unmatched
        ["2026-02", "D404", "", "产品", "4"],  # unknown deal, no project: unmatched
    ]

    result = load_file(
        with_deals,
        "shipments",
        write_csv("s.csv", ["月份", "商机编号", "项目编号", "类型", "金额"], rows),
    )

    assert result.counts["unmatched_shipments"] == 2
    assert "2" in result.render("en") and "matching no deal" in result.render("en")
    assert query("SELECT count(*) FROM shipments") == [(4,)]


def test_load_file_orders_identical_skipped_different_refused(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    header, rows, _, _ = GOOD["orders"]
    load_file(with_deals, "orders", write_csv("o1.csv", header, rows))
    new_order = [
        "4500000003",
        "2026-03-07",
        "商品模",
        "家电",
        "王五",
        "",
        "",
        "",
        "10",
        "",
    ]

    resent = load_file(
        with_deals, "orders", write_csv("o2.csv", header, [rows[0], new_order])
    )
    changed = [rows[1][:8] + ["100.00", "CNY"]]
    with pytest.raises(BadExtract) as refused:
        load_file(with_deals, "orders", write_csv("o3.csv", header, changed))

    assert resent.counts == {"inserted": 1, "skipped_identical": 1}
    report = refused.value.report
    assert isinstance(report, loaders.LoadReport)
    assert [(p.line_no, p.value, p.reason) for p in report.problems] == [
        (2, "4500000002", "order_exists")
    ]
    assert query("SELECT order_no, net_value FROM orders ORDER BY 1") == [
        ("4500000001", Decimal("1200000.00")),
        ("4500000002", Decimal("99.99")),
        ("4500000003", Decimal("10.00")),
    ]


def test_load_file_extras_kept_aside_with_their_line(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    header = [*GOOD["wip_plan"][0], "备注"]
    rows = [[*GOOD["wip_plan"][1][0], "急单"]]

    result = load_file(with_deals, "wip_plan", write_csv("w.csv", header, rows))

    ((load_id, line_no, extras),) = query(
        "SELECT load_id, line_no, extras FROM load_extras"
    )
    assert (load_id, line_no, json.loads(extras)) == (
        result.load_id,
        2,
        {"备注": "急单"},
    )


def test_load_file_audited_once_per_load(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    query: Callable[..., list[tuple]],
) -> None:
    header, rows, _, _ = GOOD["quotes"]
    add_user(with_deals, "分析员", "analyst")

    result = load_file(
        with_deals, "quotes", write_csv("q.csv", header, rows), user_name="分析员"
    )

    ((user, action, subject, detail),) = query(
        "SELECT user_name, action, subject, detail FROM audit_log"
        " WHERE subject LIKE 'quotes:%'"
    )
    assert (user, action, subject) == ("分析员", "load", "quotes:q.csv")
    assert json.loads(detail)["load_id"] == result.load_id
    assert query(
        "SELECT user_name FROM load_log WHERE load_id = ?", [result.load_id]
    ) == [("分析员",)]


def test_load_file_missing_file_not_found(
    with_deals: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(NotFound) as missing:
        load_file(with_deals, "deals", tmp_path / "nope.csv")

    assert "nope.csv" in missing.value.en


def test_load_file_unknown_kind_not_found(
    with_deals: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(NotFound):
        load_file(with_deals, "budgets", tmp_path / "x.csv")


def test_validate_reports_and_counts_without_writing(
    with_deals: Warehouse,
    write_csv: Callable[..., Path],
    fingerprint: Callable[..., dict[str, tuple[int, int]]],
) -> None:
    header, rows, _, _ = GOOD["quotes"]
    path = write_csv("q.csv", header, [*rows, ["Q3", "D404", "Lost", "2026-03-01", ""]])
    before = fingerprint()

    checked = validate(with_deals, "quotes", path)

    assert fingerprint() == before
    assert checked.rows_read == 3
    assert [(p.line_no, p.reason) for p in checked.report.problems] == [
        (4, "unknown_deal")
    ]
    assert checked.preview.get_column("quote_id").to_list() == ["Q1", "Q2", "Q3"]
    assert checked.counts == {"inserted": 3, "replaced": 0, "identical": 0}
    assert checked.already_loaded is None


def test_validate_names_the_earlier_load_of_the_same_content(
    with_deals: Warehouse, write_csv: Callable[..., Path]
) -> None:
    header, rows, _, _ = GOOD["quotes"]
    path = write_csv("q.csv", header, rows)
    first = load_file(with_deals, "quotes", path)

    assert validate(with_deals, "quotes", path).already_loaded == first.load_id


def big_forecasts(path: Path, deals: int, months: int = 12) -> Path:
    """A forecasts file of `deals` submissions × months, for D1 and D2 in turn."""
    lines = ["deal_id,version,submitted_at,month,order_amount,mold_sets,mold_sales\n"]
    start = T(2025, 1, 1)
    for d in range(deals):
        # One submission per minute keeps every key distinct.
        submitted = f"{start + dt.timedelta(minutes=d):%Y-%m-%d %H:%M}"
        for m in range(1, months + 1):
            lines.append(f"D{d % 2 + 1},rolling,{submitted},2026-{m:02d},{d},1,{m}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_load_file_reader_inside_the_transaction_sees_the_old_data(
    with_deals: Warehouse,
    tmp_path: Path,
    query: Callable[..., list[tuple]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    record = loaders.loading.audit.record

    def read_then_record(cur, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Runs inside the load's transaction, after its rows were written.
        seen.append(query("SELECT count(*) FROM forecasts")[0][0])
        return record(cur, *args, **kwargs)

    monkeypatch.setattr("warehouse.audit.record", read_then_record)

    load_file(with_deals, "forecasts", big_forecasts(tmp_path / "f.csv", deals=100))

    assert seen == [0]
    assert query("SELECT count(*) FROM forecasts") == [(100 * 12,)]


def test_load_file_concurrent_reader_sees_old_or_new_never_half(
    with_deals: Warehouse, tmp_path: Path, query: Callable[..., list[tuple]]
) -> None:
    path = big_forecasts(tmp_path / "f.csv", deals=20_000)
    counts: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            counts.append(query("SELECT count(*) FROM forecasts")[0][0])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        load_file(with_deals, "forecasts", path)
    finally:
        done.set()
        reader.join()

    assert counts, "the reader never ran"
    assert set(counts) <= {0, 20_000 * 12}
    assert query("SELECT count(*) FROM forecasts") == [(240_000,)]


KILLED_LOAD = """
import sys, time
from pathlib import Path
import warehouse.audit
from loaders import load_file
from warehouse import Warehouse

def stall(*args, **kwargs):
    # Called inside the load's transaction once every row is written.
    print("WRITTEN", flush=True)
    time.sleep(120)

warehouse.audit.record = stall
load_file(Warehouse(sys.argv[1]), "forecasts", Path(sys.argv[2]))
"""


@pytest.mark.slow
def test_load_file_killed_mid_load_leaves_the_warehouse_as_it_was(
    db_path: Path, tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    def state() -> dict[str, tuple]:
        with Warehouse(db_path) as wh, wh.cursor() as cur:
            return {
                name: cur.execute(
                    f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{name}" AS t'
                ).fetchall()[0]
                for (name,) in cur.execute(
                    "SELECT table_name FROM duckdb_tables()"
                ).fetchall()
            }

    with Warehouse(db_path) as wh:
        load_file(
            wh,
            "deals",
            write_csv(
                "deals.csv",
                [
                    "商机编号",
                    "业务类型",
                    "赛道",
                    "客户经理",
                    "商机类型",
                    "商机阶段",
                    "创建日期",
                ],
                [
                    ["D1", "模塑一体", "T", "M", "机会", "L Potential", "2026-01-01"],
                    ["D2", "模塑一体", "T", "M", "机会", "L Potential", "2026-01-01"],
                ],
            ),
        )
    before = state()
    # 300,000 rows: more than two DuckDB row groups, so the uncommitted rows
    # reach the database file before the commit that never comes.
    path = big_forecasts(tmp_path / "big.csv", deals=25_000)

    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, str(db_path), str(path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "WRITTEN"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()

    assert child.returncode == -signal.SIGKILL
    assert state() == before
    with Warehouse(db_path) as wh:
        assert (
            load_file(
                wh, "forecasts", write_csv("f.csv", FORECAST_HEADER, FORECAST_ROWS)
            ).outcome
            == "loaded"
        )
