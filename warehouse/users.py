"""Who is acting: the users of SPEC §1, the local operator and their rights.

Without `--user` a command runs as the local operator, with full rights, as a
database administrator would; with it, the named user's role and scope apply.
The role checks of the governance actions live here so that the dashboard and
the later access-control work ask the same questions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb

from warehouse import audit
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound, PermissionDenied, WorkflowError

log = logging.getLogger(__name__)

ROLES = ("account_manager", "track_director", "ceo", "analyst", "admin")

ROLE_NAMES_ZH = {
    "account_manager": "客户经理",
    "track_director": "赛道总监",
    "ceo": "CEO",
    "analyst": "经营分析",
    "admin": "系统管理员",
    "operator": "本地操作员",
}

# Roles that see every deal; the others see their own deals or their tracks.
_SEES_ALL = ("operator", "ceo", "analyst", "admin")


@dataclass(frozen=True)
class Actor:
    """A user acting on the warehouse, with the scope their role gives them."""

    name: str
    role: str
    tracks: tuple[str, ...] = field(default=())
    account_manager: str | None = None

    @property
    def is_operator(self) -> bool:
        """The local operator (no --user) has full rights."""
        return self.role == "operator"


OPERATOR = Actor(name="operator", role="operator")


def resolve(cur: duckdb.DuckDBPyConnection, name: str | None) -> Actor:
    """The Actor for a user name, or the local operator when no name is given."""
    if not name or name == OPERATOR.name:
        return OPERATOR

    row = cur.execute(
        "SELECT name, role, tracks, account_manager FROM users WHERE name = ?", [name]
    ).fetchone()
    if row is None:
        raise NotFound(
            f"用户“{name}”不存在。请先用 forecast user add 创建该用户，或检查拼写。",
            f"There is no user named '{name}'. Add it with `forecast user add` "
            "or check the spelling.",
        )
    return Actor(
        name=row[0], role=row[1], tracks=tuple(row[2] or ()), account_manager=row[3]
    )


def require_admin(actor: Actor, action_zh: str, action_en: str) -> None:
    """Refuse unless the actor is an admin or the local operator."""
    if actor.is_operator or actor.role == "admin":
        return

    role_zh = ROLE_NAMES_ZH.get(actor.role, actor.role)
    raise PermissionDenied(
        f"用户“{actor.name}”的角色是{role_zh}，不能{action_zh}：只有系统管理员可以。"
        "请让系统管理员来做。",
        f"User '{actor.name}' is a {actor.role} and may not {action_en}: only an "
        "admin may. Ask an admin to do it.",
    )


def manages(actor: Actor, account_manager: str) -> bool:
    """Whether the actor is the named account manager (the CRM's identity)."""
    if actor.role != "account_manager":
        return False
    return (actor.account_manager or actor.name) == account_manager


def directs(actor: Actor, track: str) -> bool:
    """Whether the actor is a track director whose tracks include this one."""
    return actor.role == "track_director" and track in actor.tracks


def sees_deal(actor: Actor, track: str, account_manager: str) -> bool:
    """Whether the actor may see a deal: own deals, own tracks, or everything."""
    if actor.role in _SEES_ALL:
        return True
    return manages(actor, account_manager) or directs(actor, track)


def deal_scope(actor: Actor) -> list[Any]:
    """Bound parameters [sees_all, tracks, account_manager] for a deal filter.

    Queries filter with `? OR list_contains(?, track) OR account_manager = ?`,
    so that the scope of sees_deal() is applied inside SQL as well.
    """
    if actor.role in _SEES_ALL:
        return [True, [], None]
    if actor.role == "track_director":
        return [False, list(actor.tracks), None]
    if actor.role == "account_manager":
        return [False, [], actor.account_manager or actor.name]
    return [False, [], None]


def add_user(
    warehouse: Warehouse,
    name: str,
    role: str,
    *,
    tracks: tuple[str, ...] | list[str] = (),
    account_manager: str | None = None,
    email: str | None = None,
    acting: Actor = OPERATOR,
) -> Actor:
    """Add a user with a role (and tracks or CRM identity); admins only, audited."""
    require_admin(acting, "管理用户", "manage users")
    name = name.strip()
    tracks = tuple(t.strip() for t in tracks if t.strip())
    _check_new_user(name, role, tracks)

    # An account manager's CRM identity is their user name unless told otherwise.
    if role == "account_manager" and not account_manager:
        account_manager = name

    with warehouse.transaction() as cur:
        taken = cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone()
        if taken is not None:
            raise WorkflowError(
                f"用户“{name}”已存在，未做任何更改。请换一个名字，或用 forecast user "
                "list 查看现有用户。",
                f"A user named '{name}' already exists; nothing was changed. Choose "
                "another name, or see the existing users with `forecast user list`.",
            )

        cur.execute(
            "INSERT INTO users (name, role, tracks, account_manager, email)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, role, list(tracks), account_manager, email],
        )
        audit.record(
            cur,
            acting.name,
            "user.add",
            name,
            {
                "role": role,
                "tracks": list(tracks),
                "account_manager": account_manager,
                "email": email,
            },
        )

    log.info("user %s added as %s by %s", name, role, acting.name)
    return Actor(name=name, role=role, tracks=tracks, account_manager=account_manager)


def _check_new_user(name: str, role: str, tracks: tuple[str, ...]) -> None:
    if not name or name == OPERATOR.name:
        raise ForecastError(
            f"用户名“{name}”不可用：不能为空，operator 保留给本地操作员。"
            "请换一个名字。",
            f"The user name '{name}' cannot be used: it must not be blank, and "
            "'operator' is reserved for the local operator. Choose another name.",
        )
    if role not in ROLES:
        raise ForecastError(
            f"角色“{role}”无效。请使用以下之一：{', '.join(ROLES)}。",
            f"The role '{role}' is not known. Use one of: {', '.join(ROLES)}.",
        )
    if role == "track_director" and not tracks:
        raise ForecastError(
            f"赛道总监“{name}”必须至少负责一个赛道。请用 --tracks 给出赛道，例如 "
            "--tracks 汽车,医疗。",
            f"Track director '{name}' must own at least one track. Give them with "
            "--tracks, for example --tracks auto,medical.",
        )


def list_users(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every user as {name, role, tracks, account_manager, email}, by name."""
    rows = cur.execute(
        "SELECT name, role, tracks, account_manager, email FROM users ORDER BY name"
    ).fetchall()
    return [
        {
            "name": name,
            "role": role,
            "tracks": list(tracks or []),
            "account_manager": account_manager,
            "email": email,
        }
        for name, role, tracks, account_manager, email in rows
    ]
