"""`--user NAME` on the command line: the same scope and permission matrix as the
data layer, refusals that write nothing, and passwords read from stdin."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from warehouse import Warehouse
from warehouse.demo import build_sample
from warehouse.sign_in import authenticate
from warehouse.sql import quote_ident

SAMPLE_AS_OF = "2026-11-27"
QUOTES = str(Path(__file__).parents[2] / "sample_data/2026/01/05/quotes.xlsx")
TRACKS = {"汽车", "医疗", "消费电子", "智能家居", "工业"}


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("access_cli") / "sample.duckdb"
    with Warehouse(path) as wh:
        build_sample(wh)
    return path


@pytest.fixture
def sample(sample_file: Path, db_path: Path) -> Path:
    """The sample copied to where run_cli looks."""
    shutil.copyfile(sample_file, db_path)
    return db_path


def fingerprint(path: Path) -> dict[str, Any]:
    with Warehouse(path) as wh, wh.cursor() as cur:
        tables = [
            row[0]
            for row in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        return {
            table: cur.execute(
                f"SELECT count(*), bit_xor(hash(t)) FROM {quote_ident(table)} AS t"
            ).fetchall()
            for table in tables
        }


@pytest.mark.parametrize(
    ("user", "tracks", "managers"),
    [
        ("王磊", {"汽车"}, {"王磊"}),
        ("马超", set(), {"马超"}),
        ("周涛", {"汽车"}, {"马超"}),
        ("陈建国", TRACKS, {"马超", "林峰", "胡斌", "郭婷", "朱琳"}),
    ],
)
def test_board_json_in_the_users_scope(
    sample: Path, run_cli, user: str, tracks: set[str], managers: set[str]
) -> None:
    result = run_cli("--user", user, "board", "--as-of", SAMPLE_AS_OF, "--json")

    board = json.loads(result.out)
    assert result.code == 0, result.err
    assert set(board["integrated"]["tracks"]) <= tracks
    assert set(board["commodity"]["account_managers"]) <= managers
    if user == "陈建国":
        assert set(board["integrated"]["tracks"]) == TRACKS


@pytest.mark.parametrize(
    ("user", "column", "allowed"),
    [("王磊", "account_manager", {"王磊"}), ("吴静", "track", {"医疗"})],
)
def test_export_aps_holds_only_the_users_deals(
    sample: Path, run_cli, tmp_path: Path, user: str, column: str, allowed: set[str]
) -> None:
    out = tmp_path / "aps.csv"

    result = run_cli(
        "--user", user, "export", "aps", "--as-of", SAMPLE_AS_OF, "--out", str(out)
    )

    rows = pl.read_csv(out, infer_schema=False)
    assert result.code == 0, result.err
    assert rows.height > 0
    assert set(rows[column].unique()) == allowed


def test_trace_of_another_managers_deal_refused(sample: Path, run_cli) -> None:
    own = run_cli("--user", "王磊", "trace", "OPP-2025-0091", "--json")
    other = run_cli("--user", "王磊", "trace", "OPP-2026-0061")

    assert own.code == 0 and json.loads(own.out)
    assert other.code == 1 and "OPP-2026-0061" in other.err and other.out == ""


def test_alert_list_only_own_alerts(sample: Path, run_cli) -> None:
    run_cli("check", "--as-of", SAMPLE_AS_OF)

    everyone = json.loads(run_cli("alert", "list", "--json").out)
    own = json.loads(run_cli("--user", "王磊", "alert", "list", "--json").out)
    director = json.loads(run_cli("--user", "周涛", "alert", "list", "--json").out)

    assert len(own) < len(everyone)
    assert {a["account_manager"] for a in own} <= {"王磊"}
    assert director and {a["track"] for a in director} == {"汽车"}


@pytest.mark.parametrize(
    "argv",
    [
        ("--user", "王磊", "load", "quotes", QUOTES),
        ("--user", "周涛", "check", "--as-of", SAMPLE_AS_OF),
        ("--user", "孙丽", "snapshot", "--month", "2026-12", "--as-of", "2026-12-01"),
        ("--user", "陈建国", "baseline", "--year", "2027", "--as-of", SAMPLE_AS_OF),
        ("--user", "王磊", "user", "add", "新人", "--role", "analyst"),
        ("--user", "孙丽", "user", "list", "--json"),
        ("--user", "周涛", "notify"),
        ("--user", "孙丽", "run-due", "--as-of", "2026-12-01"),
        ("--user", "孙丽", "migrate", "execute", "1"),
    ],
)
def test_refused_command_exits_1_and_writes_nothing(
    sample: Path, run_cli, argv: tuple[str, ...]
) -> None:
    before = fingerprint(sample)

    zh = run_cli(*argv)
    en = run_cli("--lang", "en", *argv)

    assert (zh.code, en.code) == (1, 1)
    assert "只有" in zh.err and "only" in en.err and argv[1] in en.err
    assert fingerprint(sample) == before


@pytest.mark.parametrize(
    "argv",
    [
        ("--user", "孙丽", "load", "quotes", QUOTES),
        ("--user", "孙丽", "check", "--as-of", SAMPLE_AS_OF),
        ("--user", "赵敏", "snapshot", "--month", "2026-12", "--as-of", "2026-12-01"),
        ("--user", "赵敏", "notify", "--json"),
        ("--user", "陈建国", "user", "list", "--json"),
    ],
)
def test_allowed_command_exits_0(sample: Path, run_cli, argv: tuple[str, ...]) -> None:
    result = run_cli(*argv)

    assert result.code == 0, result.err


def with_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_user_add_with_password_stdin_then_sign_in(
    db_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_stdin(monkeypatch, "s3cret-pass\nignored second line\n")

    added = run_cli("user", "add", "ada", "--role", "admin", "--password-stdin")

    assert added.code == 0, added.err
    with Warehouse(db_path) as wh:
        assert authenticate(wh, "ada", "s3cret-pass").name == "ada"


def test_user_password_by_admin_only(
    db_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("user", "add", "ada", "--role", "admin").code == 0
    assert run_cli("user", "add", "amy", "--role", "account_manager").code == 0

    with_stdin(monkeypatch, "amy-wants-in\n")
    refused = run_cli("--user", "amy", "user", "password", "amy", "--password-stdin")
    with_stdin(monkeypatch, "given-by-ada\n")
    set_by_admin = run_cli(
        "--user", "ada", "user", "password", "amy", "--password-stdin"
    )
    with_stdin(monkeypatch, "")
    empty = run_cli("user", "password", "amy", "--password-stdin")
    with_stdin(monkeypatch, "short\n")
    short = run_cli("--lang", "en", "user", "password", "amy", "--password-stdin")

    assert refused.code == 1 and "系统管理员" in refused.err
    assert set_by_admin.code == 0, set_by_admin.err
    assert empty.code == 1 and "标准输入" in empty.err
    assert short.code == 1 and "at least 8" in short.err
    with Warehouse(db_path) as wh:
        assert authenticate(wh, "amy", "given-by-ada").name == "amy"


def test_notify_by_admin_is_audited(sample: Path, run_cli) -> None:
    result = run_cli("--user", "赵敏", "notify")

    with Warehouse(sample) as wh, wh.cursor() as cur:
        audited = cur.execute(
            "SELECT user_name FROM audit_log WHERE action = 'notify'"
        ).fetchall()
    assert result.code == 0, result.err
    assert audited == [("赵敏",)]
