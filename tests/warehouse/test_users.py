"""Users and their rights: who may add users, see a deal, decide a migration."""

from __future__ import annotations

import pytest

from warehouse import Warehouse
from warehouse.errors import ForecastError, NotFound, PermissionDenied, WorkflowError
from warehouse.users import (
    OPERATOR,
    Actor,
    add_user,
    deal_scope,
    directs,
    list_users,
    manages,
    require_admin,
    resolve,
    sees_deal,
)


def audit_and_users(warehouse: Warehouse) -> tuple[int, int]:
    with warehouse.cursor() as cur:
        audit = cur.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        users = cur.execute("SELECT count(*) FROM users").fetchone()[0]
    return audit, users


def test_add_user_then_list_users_round_trip(warehouse: Warehouse) -> None:
    add_user(warehouse, "dan", "track_director", tracks=("auto", "med"))
    add_user(warehouse, "amy", "account_manager", email="amy@example.com")
    add_user(warehouse, "wang", "account_manager", account_manager="王经理")

    with warehouse.cursor() as cur:
        users = list_users(cur)

    # An account manager's CRM identity defaults to the user name.
    assert users == [
        {
            "name": "amy",
            "role": "account_manager",
            "tracks": [],
            "account_manager": "amy",
            "email": "amy@example.com",
        },
        {
            "name": "dan",
            "role": "track_director",
            "tracks": ["auto", "med"],
            "account_manager": None,
            "email": None,
        },
        {
            "name": "wang",
            "role": "account_manager",
            "tracks": [],
            "account_manager": "王经理",
            "email": None,
        },
    ]


def test_add_user_audited_with_who(warehouse: Warehouse) -> None:
    add_user(warehouse, "ada", "admin")
    add_user(warehouse, "cat", "ceo", acting=Actor("ada", "admin"))

    with warehouse.cursor() as cur:
        entries = cur.execute(
            "SELECT user_name, action, subject FROM audit_log ORDER BY audit_id"
        ).fetchall()

    assert entries == [("operator", "user.add", "ada"), ("ada", "user.add", "cat")]


@pytest.mark.parametrize(
    ("name", "role", "tracks", "acting", "error"),
    [
        ("cat", "ceo", (), Actor("dan", "track_director", ("auto",)), PermissionDenied),
        ("cat", "ceo", (), Actor("amy", "account_manager"), PermissionDenied),
        ("cat", "ceo", (), Actor("ann", "analyst"), PermissionDenied),
        ("cat", "boss", (), OPERATOR, ForecastError),  # unknown role
        ("eve", "track_director", (), OPERATOR, ForecastError),  # no tracks
        ("operator", "admin", (), OPERATOR, ForecastError),  # reserved name
        (" ", "admin", (), OPERATOR, ForecastError),  # blank name
        ("ada", "ceo", (), OPERATOR, WorkflowError),  # exists already
    ],
)
def test_add_user_refused_writes_nothing(
    warehouse: Warehouse,
    name: str,
    role: str,
    tracks: tuple[str, ...],
    acting: Actor,
    error: type[ForecastError],
) -> None:
    add_user(warehouse, "ada", "admin")
    before = audit_and_users(warehouse)

    with pytest.raises(error):
        add_user(warehouse, name, role, tracks=tracks, acting=acting)

    assert audit_and_users(warehouse) == before


def test_resolve_named_user_and_operator(warehouse: Warehouse) -> None:
    add_user(warehouse, "dan", "track_director", tracks=("auto",))

    with warehouse.cursor() as cur:
        dan = resolve(cur, "dan")
        assert resolve(cur, None) is OPERATOR
        assert resolve(cur, "operator") is OPERATOR
        with pytest.raises(NotFound, match="zed"):
            resolve(cur, "zed")

    assert dan == Actor("dan", "track_director", ("auto",), None)


@pytest.mark.parametrize(
    ("actor", "track", "manager", "manages_it", "directs_it", "sees_it"),
    [
        (Actor("amy", "account_manager", (), "amy"), "auto", "amy", True, False, True),
        (
            Actor("amy", "account_manager", (), "amy"),
            "auto",
            "bob",
            False,
            False,
            False,
        ),
        (
            Actor("w", "account_manager", (), "王经理"),
            "auto",
            "王经理",
            True,
            False,
            True,
        ),
        (Actor("dan", "track_director", ("auto",)), "auto", "bob", False, True, True),
        (Actor("dan", "track_director", ("auto",)), "med", "bob", False, False, False),
        (Actor("cat", "ceo"), "med", "bob", False, False, True),
        (Actor("ann", "analyst"), "med", "bob", False, False, True),
        (Actor("ada", "admin"), "med", "bob", False, False, True),
        (OPERATOR, "med", "bob", False, False, True),
    ],
)
def test_role_checks_follow_spec_roles(
    actor: Actor,
    track: str,
    manager: str,
    manages_it: bool,
    directs_it: bool,
    sees_it: bool,
) -> None:
    assert manages(actor, manager) is manages_it
    assert directs(actor, track) is directs_it
    assert sees_deal(actor, track, manager) is sees_it


@pytest.mark.parametrize(
    ("actor", "scope"),
    [
        (OPERATOR, [True, [], None]),
        (
            Actor("dan", "track_director", ("auto", "med")),
            [False, ["auto", "med"], None],
        ),
        (Actor("amy", "account_manager", (), "amy"), [False, [], "amy"]),
    ],
)
def test_deal_scope_parameters_match_role(actor: Actor, scope: list) -> None:
    assert deal_scope(actor) == scope


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("operator", True),
        ("ceo", False),
        ("analyst", False),
        ("track_director", False),
        ("account_manager", False),
    ],
)
def test_require_admin_only_admin_or_operator(role: str, allowed: bool) -> None:
    actor = Actor("someone", role)

    if allowed:
        require_admin(actor, "做事", "do it")
    else:
        with pytest.raises(PermissionDenied, match="only an admin"):
            require_admin(actor, "做事", "do it")
