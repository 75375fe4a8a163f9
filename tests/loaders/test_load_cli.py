"""`forecast load KIND FILE`: exit codes, summary on stdout, report on stderr."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DEALS = (
    ["商机编号", "业务类型", "赛道", "客户经理", "商机类型", "商机阶段", "创建日期"],
    [["D1", "模塑一体", "汽车", "张三", "机会", "L Potential", "2026-01-05"]],
)
BAD_QUOTES = (
    ["报价编号", "商机编号", "报价阶段", "报价日期"],
    [["Q1", "D404", "Lost", "2026-03-01"], ["Q2", "D1", "Won", "2026-03-01"]],
)


def test_load_cli_loaded_exit_0_summary_in_chinese(
    run_cli: Callable[..., Any], write_csv: Callable[..., Path]
) -> None:
    result = run_cli("load", "deals", str(write_csv("deals.csv", *DEALS)))

    assert result.code == 0
    assert "已导入 deals 文件“deals.csv”" in result.out
    assert "读取 1 行，写入 1 行" in result.out


def test_load_cli_same_file_again_exit_0_says_nothing_changed(
    run_cli: Callable[..., Any], write_csv: Callable[..., Path]
) -> None:
    path = str(write_csv("deals.csv", *DEALS))
    run_cli("load", "deals", path)

    result = run_cli("--lang", "en", "load", "deals", path)

    assert result.code == 0
    assert "Already loaded, nothing changed" in result.out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["未导入", "第 2 行“商机编号”的商机“D404”在系统中不存在",
                "第 3 行“报价阶段”的值“Won”无法识别"]),
        ("en", ["was not loaded",
                "Line 2, column '商机编号': deal 'D404' is not in the warehouse",
                "Line 3, column '报价阶段': 'Won' is not recognised"]),
    ],
)  # fmt: skip
def test_load_cli_refused_exit_1_every_problem_on_stderr(
    run_cli: Callable[..., Any],
    write_csv: Callable[..., Path],
    lang: str,
    expected: list[str],
) -> None:
    run_cli("load", "deals", str(write_csv("deals.csv", *DEALS)))

    result = run_cli(
        "--lang", lang, "load", "quotes", str(write_csv("q.csv", *BAD_QUOTES))
    )

    assert result.code == 1
    assert result.out == ""
    for text in expected:
        assert text in result.err


def test_load_cli_missing_file_exit_1_names_it(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    result = run_cli("load", "deals", str(tmp_path / "nope.csv"))

    assert result.code == 1
    assert "nope.csv" in result.err


def test_load_cli_unknown_kind_refused_by_argparse(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_cli("load", "budgets", str(tmp_path / "x.csv"))

    assert stopped.value.code == 2


def test_load_cli_sheet_option_reads_the_named_sheet(
    run_cli: Callable[..., Any], write_xlsx: Callable[..., Path]
) -> None:
    path = write_xlsx("deals.xlsx", *DEALS, sheet="商机")

    result = run_cli("--lang", "en", "load", "deals", str(path), "--sheet", "商机")

    assert result.code == 0
    assert "1 rows read" in result.out
