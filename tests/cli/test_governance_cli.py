"""The governance commands: snapshot, verify, baseline, migrate, user, trace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warehouse import Warehouse


@pytest.fixture
def deals(db_path: Path) -> Path:
    """Three deals with forecasts, and the users of the workflow; file closed."""
    with Warehouse(db_path) as wh, wh.transaction() as cur:
        for deal_id, phase, stage in [
            ("OPP1", "opportunity", "M Potential"),
            ("OPP2", "opportunity", "L Potential"),
            ("MP", "mass_production", "Secured"),
        ]:
            cur.execute(
                "INSERT INTO deals (deal_id, business_line, track, account_manager,"
                " phase, stage, created_on, load_id)"
                " VALUES (?, 'integrated', 'auto', 'amy', ?, ?, DATE '2025-06-01', 1)",
                [deal_id, phase, stage],
            )
        cur.execute(
            "INSERT INTO forecasts VALUES ('OPP1', 'rolling',"
            " TIMESTAMP '2025-12-10 09:00', DATE '2026-03-01', 400000, 1, 100000,"
            " 200000, 1)"
        )
        cur.execute(
            "INSERT INTO forecasts VALUES ('MP', 'rolling',"
            " TIMESTAMP '2025-12-10 09:00', DATE '2026-02-01', 0, 0, 0, 50000, 1)"
        )
    return db_path


def users(run_cli) -> None:
    for argv in [
        ("user", "add", "ada", "--role", "admin"),
        ("user", "add", "amy", "--role", "account_manager", "--email", "a@x.cn"),
        ("user", "add", "dan", "--role", "track_director", "--tracks", "auto,med"),
        ("user", "add", "eve", "--role", "track_director", "--tracks", "med"),
    ]:
        assert run_cli(*argv).code == 0


def test_snapshot_command_twice_refused_exit_1(deals: Path, run_cli) -> None:
    first = run_cli(
        "--lang", "en", "snapshot", "--month", "2026-01", "--as-of", "2026-01-31"
    )
    again = run_cli("--lang", "en", "snapshot", "--month", "2026-01")
    again_zh = run_cli("snapshot", "--month", "2026-01")
    listed = run_cli("snapshot", "--list", "--json")

    assert first.code == 0 and "2026-01" in first.out and "3 deals" in first.out
    assert again.code == 1 and "already taken" in again.err
    assert again_zh.code == 1 and "不能替换或删除" in again_zh.err
    assert [s["label"] for s in json.loads(listed.out)] == ["2026-01"]


@pytest.mark.parametrize("month", ["2026-13", "26-01"])
def test_snapshot_command_bad_month_exit_1(deals: Path, run_cli, month: str) -> None:
    result = run_cli("snapshot", "--month", month)

    assert result.code == 1 and "YYYY-MM" in result.err


def test_snapshot_command_non_admin_exit_1(deals: Path, run_cli) -> None:
    users(run_cli)

    result = run_cli("--user", "amy", "snapshot", "--month", "2026-01")

    assert result.code == 1 and "系统管理员" in result.err


def test_verify_command_ok_then_names_broken_label(deals: Path, run_cli) -> None:
    for month, as_of in [("2026-01", "2026-01-31"), ("2026-02", "2026-02-28")]:
        assert run_cli("snapshot", "--month", month, "--as-of", as_of).code == 0
    ok = run_cli("--lang", "en", "verify")

    with Warehouse(deals) as wh, wh.cursor() as cur:
        cur.execute("DROP TRIGGER snapshot_forecasts_no_update ON snapshot_forecasts")
        cur.execute(
            "UPDATE snapshot_forecasts SET product_sales = 1 WHERE label = '2026-01'"
        )
    broken = run_cli("--lang", "en", "verify")

    assert ok.code == 0 and "All 2 snapshots verified" in ok.out
    assert broken.code == 1
    assert "Snapshot 2026-01 is broken" in broken.err


def test_baseline_command_twice_refused_and_show(deals: Path, run_cli) -> None:
    first = run_cli(
        "--lang", "en", "baseline", "--year", "2026", "--as-of", "2026-01-05"
    )
    again = run_cli("baseline", "--year", "2026")
    shown = run_cli("baseline", "--year", "2026", "--show", "--json")

    assert first.code == 0 and "3 deals, 1 of them locked" in first.out
    assert again.code == 1 and "2026" in again.err
    rows = {r["deal_id"]: r for r in json.loads(shown.out)}
    # OPP1: March order 400,000; sales 100,000 mold + 200,000 product.
    assert rows["OPP1"]["expected_order_month"] == "2026-03"
    assert rows["OPP1"]["sales"] == 100000 + 200000
    assert rows["MP"]["locked"] is True


def test_migrate_commands_full_workflow(deals: Path, run_cli) -> None:
    users(run_cli)
    assert run_cli("baseline", "--year", "2026", "--as-of", "2026-01-05").code == 0

    requested = run_cli(
        "--user", "amy", "migrate", "request", "--year", "2026",
        "--from", "OPP1", "--to", "OPP2", "--amount", "150,000", "--reason", "延期",
    )  # fmt: skip
    wrong_director = run_cli("--user", "eve", "migrate", "approve", "1")
    early = run_cli("--user", "ada", "migrate", "execute", "1")
    approved = run_cli("--user", "dan", "migrate", "approve", "1", "--note", "同意")
    # --user may also follow the command.
    executed = run_cli("migrate", "execute", "1", "--user", "ada")
    twice = run_cli("--user", "ada", "migrate", "execute", "1")
    listed = run_cli("--user", "dan", "migrate", "list", "--json")

    assert requested.code == 0 and "1" in requested.out
    assert wrong_director.code == 1 and "auto" in wrong_director.err
    assert early.code == 1
    assert approved.code == 0
    assert executed.code == 0
    assert twice.code == 1
    (row,) = json.loads(listed.out)
    assert (row["status"], row["amount"], row["overdue"]) == (
        "executed",
        150000.0,
        False,
    )

    trace = run_cli("trace", "OPP1", "--json")
    steps = [e["step"] for e in json.loads(trace.out) if e["kind"] == "migration"]
    assert steps == ["requested", "approved", "executed"]


def test_migrate_command_locked_deal_refused_exit_1(deals: Path, run_cli) -> None:
    users(run_cli)
    run_cli("baseline", "--year", "2026", "--as-of", "2026-01-05")

    result = run_cli(
        "--lang", "en", "--user", "amy", "migrate", "request", "--year", "2026",
        "--from", "MP", "--to", "OPP2", "--reason", "x",
    )  # fmt: skip

    assert result.code == 1 and "locked" in result.err


def test_migrate_reject_requires_note(deals: Path, run_cli) -> None:
    with pytest.raises(SystemExit):
        run_cli("migrate", "reject", "1")


def test_user_commands_add_and_list_json(deals: Path, run_cli) -> None:
    users(run_cli)

    listed = run_cli("user", "list", "--json")
    refused = run_cli("--user", "amy", "user", "add", "zoe", "--role", "ceo")

    rows = json.loads(listed.out)
    assert [
        (r["name"], r["role"], r["tracks"], r["account_manager"]) for r in rows
    ] == [
        ("ada", "admin", [], None),
        ("amy", "account_manager", [], "amy"),
        ("dan", "track_director", ["auto", "med"], None),
        ("eve", "track_director", ["med"], None),
    ]
    assert refused.code == 1


def test_trace_command_text_and_unknown_deal(deals: Path, run_cli) -> None:
    run_cli("baseline", "--year", "2026", "--as-of", "2026-01-05")

    text = run_cli("--lang", "en", "trace", "OPP1")
    unknown = run_cli("trace", "NOPE")

    assert text.code == 0
    assert text.out.splitlines()[0].startswith("2025-12-10 09:00  rolling forecast")
    assert "2026 baseline version 1" in text.out
    assert unknown.code == 1 and "NOPE" in unknown.err
