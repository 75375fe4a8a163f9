"""The permission matrix and each role's scope, on the sample warehouse's users.

The expected cells below are written from SPEC §1, §6 and the access issue
("an account manager sees only their own deals; a director their tracks; the
CEO everything; an analyst uploads but decides nothing; an admin executes but
never edits history"), not read back from warehouse.access.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from handoffs.aps_export import build_aps_export, read_aps_export
from handoffs.meeting_pack import build_meeting_pack, gather_pack
from handoffs.schedule import run_due
from loaders import load_file
from rules.settings import load_settings
from warehouse import Warehouse, access, board, drilldown
from warehouse.alerts import escalate_alert, handle_alert, list_alerts, run_check
from warehouse.baselines import current_baseline, take_baseline
from warehouse.demo import SAMPLE_AS_OF, build_sample
from warehouse.errors import NotFound, PermissionDenied
from warehouse.migrations import (
    approve_migration,
    execute_migration,
    list_migrations,
    request_migration,
)
from warehouse.sign_in import set_password
from warehouse.snapshots import list_snapshots, take_snapshot, verify_chain
from warehouse.sql import quote_ident
from warehouse.trace import deal_trace
from warehouse.users import Actor, add_user, list_users, resolve

SETTINGS = load_settings()

# One sample user per role; the subject of every scoped action is in track
# 汽车 (directed by 周涛) and belongs to account manager 王磊.
BY_ROLE = {
    "account_manager": "王磊",
    "track_director": "周涛",
    "ceo": "陈建国",
    "analyst": "孙丽",
    "admin": "赵敏",
}
OTHER_MANAGER = "李娜"  # 汽车 too, but not the deal's manager
OTHER_DIRECTOR = "吴静"  # directs 医疗 only
COMMODITY_MANAGER = "马超"  # commodity deals in 汽车

# 王磊's opportunities in 汽车; the fixture gives the first 2027 sales so that
# its 2027 baseline can move.
FROM_DEAL = "OPP-2025-0091"
TO_DEAL = "OPP-2026-0164"
OTHERS_DEAL = "OPP-2026-0061"  # 李娜's, 汽车
ELSEWHERE_DEAL = "OPP-2025-0088"  # 刘洋's, 医疗

ALL = set(BY_ROLE)
NONE: set[str] = set()

# Who may take each action on the subject above, by role.
EXPECTED: dict[str, set[str]] = {
    "view_board": ALL,
    "view_deal": ALL,  # 王磊's own deal in 周涛's track
    "view_alerts": ALL,
    "view_review": ALL - {"account_manager"},
    "view_history": ALL,
    "view_migrations": ALL,
    "view_audit": {"ceo", "admin"},
    "view_load_log": {"ceo", "analyst", "admin"},
    "view_users": {"ceo", "admin"},
    "verify_snapshots": ALL,
    "handle_alert": {"track_director", "ceo"},
    "escalate_alert": {"track_director", "ceo"},
    "record_review": {"track_director", "ceo"},
    "request_migration": {"account_manager"},
    "approve_migration": {"track_director"},
    "execute_migration": {"admin"},
    "load_extract": {"analyst", "admin"},
    "run_check": {"analyst", "admin"},
    "take_snapshot": {"admin"},
    "take_baseline": {"admin"},
    "manage_users": {"admin"},
    "export_aps": ALL,
    "build_pack": ALL,
    "run_schedule": {"admin"},
    "notify": {"admin"},
}


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, plus a 2027 baseline that can move, alerts and two migrations."""
    folder = tmp_path_factory.mktemp("access")
    path = folder / "sample.duckdb"
    extra = folder / "forecasts_2027.csv"
    extra.write_text(
        "deal_id,version,submitted_at,month,order_amount,mold_sets,mold_sales,"
        "product_sales\n"
        f"{FROM_DEAL},precision,2026-11-26 10:00,2026-12,800000,2,0,0\n"
        f"{FROM_DEAL},precision,2026-11-26 10:00,2027-03,0,0,300000,0\n"
        f"{FROM_DEAL},precision,2026-11-26 10:00,2027-04,0,0,0,500000\n",
        encoding="utf-8",
    )

    with Warehouse(path) as wh:
        build_sample(wh)
        load_file(wh, "forecasts", extra)
        take_baseline(wh, 2027, as_of=SAMPLE_AS_OF)
        run_check(wh, SAMPLE_AS_OF, SETTINGS)
        for _ in range(2):
            request_migration(
                wh,
                year=2027,
                from_deal=FROM_DEAL,
                to_deal=TO_DEAL,
                amount=Decimal("100000"),
                reason="客户项目合并",
                user_name="王磊",
                today=SAMPLE_AS_OF,
            )
        approve_migration(wh, 2, user_name="周涛", today=SAMPLE_AS_OF)
    return path


@pytest.fixture
def world(sample_file: Path, tmp_path: Path) -> Iterator[Warehouse]:
    """A private copy of the prepared sample, so that allowed actions may write."""
    copy = tmp_path / "sample.duckdb"
    shutil.copyfile(sample_file, copy)
    with Warehouse(copy) as wh:
        yield wh


@pytest.fixture(scope="module")
def shared(sample_file: Path, tmp_path_factory: pytest.TempPathFactory):
    """One copy for the read-only scope tests of this module."""
    copy = tmp_path_factory.mktemp("scope") / "sample.duckdb"
    shutil.copyfile(sample_file, copy)
    with Warehouse(copy) as wh:
        yield wh


def actor_of(wh: Warehouse, name: str) -> Actor:
    with wh.cursor() as cur:
        return resolve(cur, name)


def fingerprint(wh: Warehouse) -> dict[str, Any]:
    """Row count and a hash of every row of every table."""
    with wh.cursor() as cur:
        tables = [
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() ORDER BY table_name"
            ).fetchall()
        ]
        return {
            table: cur.execute(
                f"SELECT count(*), bit_xor(hash(t)) FROM {quote_ident(table)} AS t"
            ).fetchall()
            for table in tables
        }


def audit_count(wh: Warehouse, user: str) -> int:
    with wh.cursor() as cur:
        return cur.execute(
            "SELECT count(*) FROM audit_log WHERE user_name = ?", [user]
        ).fetchall()[0][0]


def car_alert(wh: Warehouse) -> int:
    """An open alert of track 汽车 routed to its director."""
    with wh.cursor() as cur:
        alerts = list_alerts(cur, today=SAMPLE_AS_OF, track="汽车", status="open")
    return next(a.alert_id for a in alerts if a.route == "track_director")


def quotes_file(wh: Warehouse) -> Path:
    path = wh.path.parent / "quotes.csv"
    path.write_text(
        "quote_id,deal_id,stage,quoted_on,amount\n"
        f"Q-ACCESS-1,{FROM_DEAL},M Potential,2026-11-26,420000\n",
        encoding="utf-8",
    )
    return path


def _read(wh: Warehouse, call: Callable[[Any], object]) -> None:
    with wh.cursor() as cur:
        call(cur)


# Each action taken through the function the CLI and the dashboard call.
ATTEMPTS: dict[str, Callable[[Warehouse, Actor], object]] = {
    "view_board": lambda wh, a: _read(
        wh, lambda cur: board.build_board(cur, SAMPLE_AS_OF, SETTINGS, a)
    ),
    "view_deal": lambda wh, a: _read(wh, lambda cur: deal_trace(cur, FROM_DEAL, a)),
    "view_alerts": lambda wh, a: _read(
        wh, lambda cur: list_alerts(cur, a, today=SAMPLE_AS_OF)
    ),
    "view_review": lambda wh, a: access.require(a, "view_review"),
    "view_history": lambda wh, a: _read(
        wh, lambda cur: (current_baseline(cur, 2026, a), list_snapshots(cur))
    ),
    "view_migrations": lambda wh, a: _read(wh, lambda cur: list_migrations(cur, a)),
    "view_audit": lambda wh, a: access.require(a, "view_audit"),
    "view_load_log": lambda wh, a: _read(
        wh, lambda cur: drilldown.load_log(cur, actor=a)
    ),
    "view_users": lambda wh, a: _read(wh, lambda cur: list_users(cur, a)),
    "verify_snapshots": lambda wh, a: (
        access.require(a, "verify_snapshots"),
        _read(wh, verify_chain),
    ),
    "handle_alert": lambda wh, a: handle_alert(wh, car_alert(wh), "已跟进", a.name),
    "escalate_alert": lambda wh, a: escalate_alert(
        wh, car_alert(wh), "金额大", a.name, settings=SETTINGS
    ),
    "record_review": lambda wh, a: drilldown.record_review_note(
        wh,
        a,
        review_month=date(2026, 11, 1),
        track="汽车",
        account_manager="王磊",
        kind="note",
        body="报价节奏偏慢",
    ),
    "request_migration": lambda wh, a: request_migration(
        wh,
        year=2027,
        from_deal=FROM_DEAL,
        to_deal=TO_DEAL,
        amount=Decimal("50000"),
        reason="客户合并项目",
        user_name=a.name,
        today=SAMPLE_AS_OF,
    ),
    "approve_migration": lambda wh, a: approve_migration(
        wh, 1, user_name=a.name, today=SAMPLE_AS_OF
    ),
    "execute_migration": lambda wh, a: execute_migration(
        wh, 2, user_name=a.name, today=SAMPLE_AS_OF
    ),
    "load_extract": lambda wh, a: load_file(
        wh, "quotes", quotes_file(wh), user_name=a.name
    ),
    "run_check": lambda wh, a: run_check(wh, date(2026, 11, 30), SETTINGS, a.name),
    "take_snapshot": lambda wh, a: take_snapshot(
        wh, "2026-12", as_of=date(2026, 12, 1), user_name=a.name
    ),
    "take_baseline": lambda wh, a: take_baseline(
        wh, 2028, as_of=SAMPLE_AS_OF, user_name=a.name
    ),
    "manage_users": lambda wh, a: add_user(wh, "新人", "analyst", acting=a),
    "export_aps": lambda wh, a: build_aps_export(wh, SAMPLE_AS_OF, a, "csv"),
    "build_pack": lambda wh, a: build_meeting_pack(
        wh, SAMPLE_AS_OF, SETTINGS, a, "xlsx"
    ),
    "run_schedule": lambda wh, a: run_due(
        wh, date(2026, 11, 28), SETTINGS, a.name, now=datetime(2026, 11, 28, 8)
    ),
    # The outbox is delivered by `forecast notify` (tests/cli/test_access_cli.py).
    "notify": lambda wh, a: access.require(a, "notify"),
}

# Actions that write when allowed, each audited under the acting user's name.
WRITES = {
    "handle_alert",
    "escalate_alert",
    "record_review",
    "request_migration",
    "approve_migration",
    "execute_migration",
    "load_extract",
    "run_check",
    "take_snapshot",
    "take_baseline",
    "manage_users",
    "export_aps",
    "build_pack",
    "run_schedule",
}


def test_matrix_covers_every_action() -> None:
    assert set(EXPECTED) == set(access.ACTIONS) == set(ATTEMPTS)


@pytest.mark.parametrize("role", sorted(BY_ROLE))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_matrix_role_action_allowed_or_refused_writing_nothing(
    world: Warehouse, role: str, action: str
) -> None:
    actor = actor_of(world, BY_ROLE[role])
    before = fingerprint(world)
    audited = audit_count(world, actor.name)

    if role in EXPECTED[action]:
        ATTEMPTS[action](world, actor)
        if action in WRITES:
            assert audit_count(world, actor.name) > audited
        return

    with pytest.raises(PermissionDenied) as refused:
        ATTEMPTS[action](world, actor)
    assert fingerprint(world) == before
    assert actor.name in refused.value.zh and actor.name in refused.value.en
    assert "只有" in refused.value.zh and "only" in refused.value.en


@pytest.mark.parametrize(
    ("user", "action"),
    [
        (OTHER_DIRECTOR, "handle_alert"),
        (OTHER_DIRECTOR, "escalate_alert"),
        (OTHER_DIRECTOR, "record_review"),
        (OTHER_DIRECTOR, "approve_migration"),
        (OTHER_DIRECTOR, "view_deal"),
        (OTHER_MANAGER, "request_migration"),
        (OTHER_MANAGER, "view_deal"),
        (COMMODITY_MANAGER, "view_deal"),
    ],
)
def test_matrix_outside_own_track_or_deals_refused(
    world: Warehouse, user: str, action: str
) -> None:
    actor = actor_of(world, user)
    before = fingerprint(world)

    with pytest.raises(PermissionDenied):
        ATTEMPTS[action](world, actor)

    assert fingerprint(world) == before


def test_operator_may_do_everything() -> None:
    operator = Actor("operator", "operator")

    assert all(access.allowed(operator, action) for action in access.ACTIONS)


def test_set_password_refused_for_non_admin_changes_no_hash(world: Warehouse) -> None:
    before = fingerprint(world)

    with pytest.raises(PermissionDenied, match="only an admin"):
        set_password(world, "王磊", "another-secret", acting=actor_of(world, "周涛"))

    assert fingerprint(world) == before


@pytest.mark.parametrize(
    ("action", "track", "manager", "zh", "en"),
    [
        (
            "handle_alert",
            "汽车",
            None,
            "只有赛道“汽车”的赛道总监或CEO可以",
            "only the director of track '汽车' or the CEO may",
        ),
        (
            "request_migration",
            None,
            "王磊",
            "只有客户经理“王磊”本人可以",
            "only its account manager '王磊' may",
        ),
        (
            "load_extract",
            None,
            None,
            "只有经营分析或系统管理员可以",
            "only an analyst or an admin may",
        ),
    ],
)
def test_require_message_says_who_may(
    action: str, track: str | None, manager: str | None, zh: str, en: str
) -> None:
    viewer = Actor("小白", "account_manager", account_manager="小白")

    with pytest.raises(PermissionDenied) as refused:
        access.require(viewer, action, track=track, account_manager=manager)

    assert zh in refused.value.zh and en in refused.value.en
    assert "用户“小白”的角色是客户经理" in refused.value.zh
    assert "User '小白' is an account manager" in refused.value.en


def test_require_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        access.require(Actor("a", "admin"), "drop_everything")


# Scope: every read that returns deals, forecasts, alerts, traces or exports.

VIEWERS = {
    "王磊": lambda frame: frame["account_manager"].unique().to_list() == ["王磊"],
    "马超": lambda frame: set(frame["account_manager"].unique()) <= {"马超"},
    "周涛": lambda frame: set(frame["track"].unique()) <= {"汽车"},
    "吴静": lambda frame: set(frame["track"].unique()) <= {"医疗"},
}


def scoped_frames(wh: Warehouse, actor: Actor) -> dict[str, pl.DataFrame]:
    """Every deal-level read of the data layer, as frames, for one viewer."""
    with wh.cursor() as cur:
        export = read_aps_export(cur, SAMPLE_AS_OF, actor)
        alerts = list_alerts(cur, actor, today=SAMPLE_AS_OF)
        migrations = list_migrations(cur, actor, today=SAMPLE_AS_OF)
        pack = gather_pack(cur, SAMPLE_AS_OF, SETTINGS, actor)
        with_deals = drilldown.deals_in_scope(cur, actor).select(
            "deal_id", "track", "account_manager"
        )
        return {
            "deal_expectations": board.deal_expectations(
                cur, SAMPLE_AS_OF, SETTINGS, actor
            ),
            "aps_integrated": export.integrated,
            "aps_commodity": export.commodity,
            "alerts": pl.DataFrame(
                [
                    {"track": a.track, "account_manager": a.account_manager}
                    for a in alerts
                ],
                schema={"track": pl.String, "account_manager": pl.String},
            ),
            "baseline": current_baseline(cur, 2026, actor),
            "migrations": pl.DataFrame(
                {"deal_id": [m.from_deal for m in migrations]},
                schema={"deal_id": pl.String},
            ).join(with_deals, on="deal_id", how="left"),
            "deals_in_scope": with_deals,
            "conversion": drilldown.conversion_deals(cur, SAMPLE_AS_OF, actor),
            "snapshot_changes": drilldown.snapshot_changes(
                cur, "2026-10", "2026-11", actor
            ),
            "version_differences": drilldown.version_differences(
                cur, SAMPLE_AS_OF, actor
            ),
            "pack_changes": pack.changes,
            "pack_alerts": pack.alerts,
        }


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
def test_scope_every_read_holds_only_the_viewers_deals(
    shared: Warehouse, viewer: str
) -> None:
    actor = actor_of(shared, viewer)

    frames = scoped_frames(shared, actor)

    in_scope = VIEWERS[viewer]
    for name, frame in frames.items():
        if frame.height:
            column = "track" if actor.role == "track_director" else "account_manager"
            assert column in frame.columns, name
            assert in_scope(frame.filter(pl.col(column).is_not_null())), name
    assert frames["deals_in_scope"].height > 0


@pytest.mark.parametrize(
    ("viewer", "tracks", "managers"),
    [
        ("王磊", {"汽车"}, {"王磊"}),
        ("马超", set(), {"马超"}),
        ("周涛", {"汽车"}, {"马超"}),  # 马超 sells commodity molds in 汽车
        ("吴静", {"医疗"}, {"林峰"}),
    ],
)
def test_scope_board_and_accuracy_hold_only_own_tracks_and_managers(
    shared: Warehouse, viewer: str, tracks: set[str], managers: set[str]
) -> None:
    actor = actor_of(shared, viewer)

    with shared.cursor() as cur:
        seen = board.build_board(cur, SAMPLE_AS_OF, SETTINGS, actor)
        accuracy = board.accuracy_by_month(cur, 2026, SAMPLE_AS_OF, SETTINGS, actor)
        commodity = board.commodity_attainment(cur, SAMPLE_AS_OF, actor)

    assert set(seen.integrated_tracks) <= tracks
    assert set(seen.commodity.account_managers) <= managers
    assert {row.track for row in accuracy} - {None} <= tracks
    assert set(commodity.account_managers_monthly["account_manager"]) <= managers


def test_scope_ceo_sees_every_deal(shared: Warehouse) -> None:
    ceo = actor_of(shared, "陈建国")

    with shared.cursor() as cur:
        every = cur.execute("SELECT count(*) FROM deals").fetchall()[0][0]
        seen = drilldown.deals_in_scope(cur, ceo)

    assert seen.height == every


@pytest.mark.parametrize(
    ("viewer", "deal_id"),
    [
        ("王磊", OTHERS_DEAL),  # another manager's deal in the same track
        ("周涛", ELSEWHERE_DEAL),  # a deal outside the director's tracks
    ],
)
def test_scope_trace_and_detail_of_a_deal_out_of_scope_refused(
    shared: Warehouse, viewer: str, deal_id: str
) -> None:
    actor = actor_of(shared, viewer)

    with shared.cursor() as cur:
        with pytest.raises(PermissionDenied, match=deal_id):
            deal_trace(cur, deal_id, actor)
        with pytest.raises(NotFound):
            drilldown.deal_detail(cur, deal_id, SAMPLE_AS_OF, actor)


def test_scope_version_months_of_an_unseen_deal_are_empty(shared: Warehouse) -> None:
    with shared.cursor() as cur:
        everyone = drilldown.version_differences(
            cur, SAMPLE_AS_OF, Actor("operator", "operator")
        )
        row = everyone.filter(pl.col("account_manager") != "王磊").row(0, named=True)
        full = drilldown.version_difference_months(
            cur, row["deal_id"], row["precision_at"]
        )
        hidden = drilldown.version_difference_months(
            cur, row["deal_id"], row["precision_at"], actor_of(shared, "王磊")
        )

    assert full.height > 0
    assert hidden.is_empty()


# Every public read of deals, forecasts, alerts, traces or exports takes the actor.
SCOPED_READS = [
    board.build_board,
    board.deal_expectations,
    board.accuracy_by_month,
    board.commodity_attainment,
    board.wip_vs_actual,
    list_alerts,
    deal_trace,
    current_baseline,
    list_migrations,
    read_aps_export,
    build_aps_export,
    gather_pack,
    build_meeting_pack,
    drilldown.deal_detail,
    drilldown.deals_in_scope,
    drilldown.version_differences,
    drilldown.version_difference_months,
    drilldown.conversion_deals,
    drilldown.snapshot_changes,
    drilldown.commodity_pipeline,
    drilldown.review_notes,
    drilldown.load_log,
    list_users,
]


@pytest.mark.parametrize("read", SCOPED_READS, ids=lambda f: f.__qualname__)
def test_scoped_reads_take_the_actor(read: Callable[..., object]) -> None:
    assert "actor" in inspect.signature(read).parameters
