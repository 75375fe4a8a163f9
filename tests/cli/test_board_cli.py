"""`forecast board`, `forecast check` and `forecast alert` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.rules.facts_builder import FactsBuilder
from warehouse import Warehouse
from warehouse.users import add_user


@pytest.fixture
def small(warehouse: Warehouse) -> Warehouse:
    """Two tracks, one opportunity booking in June without an H Potential quote."""
    with warehouse.cursor() as cur:
        facts = FactsBuilder(cur)
        facts.deal(
            "A1", track="T1", manager="amy", phase="mass_production", stage="Secured"
        )
        facts.forecast("A1", "2026-01-05 09:00:00", "2026-07", product=800_000)
        facts.deal("O1", track="T2", manager="bob", stage="H Potential")
        facts.forecast("O1", "2026-06-01 09:00:00", "2026-06", order=300_000)
        facts.forecast("O1", "2026-06-01 09:00:00", "2026-08", product=400_000)
        facts.target(1, 1_000_000, track="T1")
        facts.target(1, 500_000, track="T2")
    add_user(warehouse, "amy", "account_manager")
    add_user(warehouse, "dora", "track_director", tracks=["T2"])
    warehouse.close()
    return warehouse


def test_board_json_prints_the_spec_object(small: Warehouse, run_cli) -> None:
    result = run_cli("board", "--as-of", "2026-06-25", "--json")

    board = json.loads(result.out)
    assert result.code == 0
    assert (board["as_of"], board["year"], board["remaining_months"]) == (
        "2026-06-25",
        2026,
        7,
    )
    # T1: 1,000,000 − 800,000 = 200,000 gap, no pipeline → alert
    assert board["integrated"]["tracks"]["T1"]["gap"] == 200000.0
    assert board["integrated"]["tracks"]["T1"]["coverage_status"] == "alert"
    # T2: gap 500,000, weighted 400,000 × 0.75 = 300,000, coverage 0.6
    assert board["integrated"]["tracks"]["T2"]["coverage"] == 0.6
    # total: 1,500,000 − 800,000 = 700,000; weighted 300,000 → 0.4286
    assert board["integrated"]["total"]["gap"] == 700000.0
    assert board["integrated"]["total"]["coverage"] == round(300000 / 700000, 4)
    assert board["commodity"]["total"] == {
        "order_target_ytd": 0.0,
        "orders_ytd": 0.0,
        "order_attainment_ytd": None,
    }


def test_board_text_in_chinese_and_english(small: Warehouse, run_cli) -> None:
    zh = run_cli("board", "--as-of", "2026-06-25")
    en = run_cli("--lang", "en", "board", "--as-of", "2026-06-25")

    assert zh.code == en.code == 0
    assert "销售看板 截至 2026-06-25" in zh.out
    assert "万元" in zh.out
    # the total target 1,500,000 CNY shows as 150.00 (万元)
    assert "150.00" in zh.out
    assert "告警" in zh.out
    assert "Board as of 2026-06-25" in en.out
    assert "alert" in en.out


def test_board_as_a_user_holds_only_their_scope(small: Warehouse, run_cli) -> None:
    amy = json.loads(
        run_cli("--user", "amy", "board", "--as-of", "2026-06-25", "--json").out
    )
    dora = json.loads(
        run_cli("board", "--as-of", "2026-06-25", "--json", "--user", "dora").out
    )

    assert list(amy["integrated"]["tracks"]) == ["T1"]
    assert amy["integrated"]["total"]["mp_expected"] == 800000.0
    assert list(dora["integrated"]["tracks"]) == ["T2"]
    assert dora["integrated"]["total"]["pipeline"] == 400000.0


def test_check_json_lists_new_alerts_once(small: Warehouse, run_cli) -> None:
    first = run_cli("check", "--as-of", "2026-06-25", "--json")
    second = run_cli("check", "--as-of", "2026-06-25", "--json")

    alerts = json.loads(first.out)
    required = {"kind", "business_line", "track", "account_manager", "profit_center"}
    required |= {"deal_id", "period", "route"}
    assert first.code == 0
    assert all(required <= set(alert) for alert in alerts)
    # low coverage: T1, T2 and the total; O1 books in June with no H Potential quote
    assert sorted((a["kind"], a["track"] or "") for a in alerts) == [
        ("low_coverage", ""),
        ("low_coverage", "T1"),
        ("low_coverage", "T2"),
        ("no_h_potential_by_25th", "T2"),
        ("sales_shortfall", "T1"),
        ("sales_shortfall", "T2"),
    ]
    assert json.loads(second.out) == []


def test_alert_lifecycle_from_the_command_line(small: Warehouse, run_cli) -> None:
    run_cli("check", "--as-of", "2026-06-25")
    listed = json.loads(
        run_cli("alert", "list", "--json", "--kind", "no_h_potential_by_25th").out
    )
    (alert,) = listed
    alert_id = str(alert["alert_id"])

    refused = run_cli(
        "--user", "amy", "alert", "handle", alert_id, "--conclusion", "ok"
    )
    escalated = run_cli(
        "--user", "dora", "alert", "escalate", alert_id, "--note", "大单"
    )
    handled = run_cli("alert", "handle", alert_id, "--conclusion", "CEO 同意")
    overdue = run_cli(
        "alert", "list", "--json", "--status", "overdue", "--today", "2026-07-01"
    )

    assert refused.code == 1
    assert "不能处理告警" in refused.err
    assert escalated.code == 0
    assert handled.code == 0
    final = json.loads(run_cli("alert", "list", "--json", "--kind", alert["kind"]).out)[
        0
    ]
    assert (final["status"], final["conclusion"], final["escalation_note"]) == (
        "handled",
        "CEO 同意",
        "大单",
    )
    # handled alerts are never overdue; the sales_shortfall ones (due 06-27) are
    assert {a["kind"] for a in json.loads(overdue.out)} == {"sales_shortfall"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample warehouse of `forecast demo`, built once for this module."""
    demo = pytest.importorskip("warehouse.demo")
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with Warehouse(path) as wh:
        demo.build_sample(wh)
    return path


def forecast(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> str:
    code = main(["--db", str(path), *argv])
    out = capsys.readouterr().out
    assert code == 0
    return out


@pytest.mark.slow
def test_sample_board_and_check_tell_the_story(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = json.loads(
        forecast(capsys, sample, "board", "--as-of", "2026-11-27", "--json")
    )
    # the sample replay already ran the month-end checks, so a check on the
    # sample date raises nothing new: every alert is raised once
    raised_now = json.loads(
        forecast(capsys, sample, "check", "--as-of", "2026-11-27", "--json")
    )
    alerts = json.loads(forecast(capsys, sample, "alert", "list", "--json"))

    statuses = {
        t: m["coverage_status"] for t, m in board["integrated"]["tracks"].items()
    }
    assert len(statuses) >= 3
    assert sorted(statuses.values()).count("alert") == 1

    managers = board["commodity"]["account_managers"]
    attainments = sorted(m["order_attainment_ytd"] for m in managers.values())
    # one manager clearly below target, well apart from the next
    assert attainments[0] < 0.75
    assert attainments[1] - attainments[0] > 0.2

    assert raised_now == []
    directions = {a["direction"] for a in alerts if a["kind"] == "version_diff"}
    assert directions == {"shortfall", "upside", "reshaped"}
    low_coverage = {a["track"] for a in alerts if a["kind"] == "low_coverage"}
    assert "医疗" in low_coverage
