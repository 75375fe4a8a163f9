"""Who is acting: the users of SPEC §1 and the local operator.

Without `--user` a command runs as the local operator, with full rights, as a
database administrator would; with it, the named user's role and scope apply.
What each role may do and see is decided in `warehouse.access` (the one
permission matrix); its scope helpers are re-exported here for the modules
that import them from users. Passwords and sign-in live in `warehouse.sign_in`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb

from warehouse import audit
from warehouse.access import (
    ROLE_NAMES,
    ROLES,
    deal_scope,
    directs,
    manages,
    require,
    require_admin,
    sees_deal,
)
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound, WorkflowError

log = logging.getLogger(__name__)

# Kept here for the modules that import them from users; defined in access.
ROLE_NAMES_ZH = {role: names[0] for role, names in ROLE_NAMES.items()}

__all__ = [
    "OPERATOR",
    "ROLES",
    "ROLE_NAMES_ZH",
    "Actor",
    "add_user",
    "deal_scope",
    "directs",
    "list_users",
    "manages",
    "require_admin",
    "resolve",
    "sees_deal",
]


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

    # fetchall, not fetchone: a streamed result left open would hold the cursor.
    rows = cur.execute(
        "SELECT name, role, tracks, account_manager FROM users WHERE name = ?", [name]
    ).fetchall()
    if not rows:
        raise NotFound(
            f"用户“{name}”不存在。请先用 forecast user add 创建该用户，或检查拼写。",
            f"There is no user named '{name}'. Add it with `forecast user add` "
            "or check the spelling.",
        )
    row = rows[0]
    return Actor(
        name=row[0], role=row[1], tracks=tuple(row[2] or ()), account_manager=row[3]
    )


def add_user(
    warehouse: Warehouse,
    name: str,
    role: str,
    *,
    tracks: tuple[str, ...] | list[str] = (),
    account_manager: str | None = None,
    email: str | None = None,
    password_hash: str | None = None,
    acting: Actor = OPERATOR,
) -> Actor:
    """Add a user with a role (and tracks or CRM identity); admins only, audited.

    `password_hash` comes from warehouse.sign_in.hash_password(); a user
    without one cannot sign in to the dashboard until an admin sets it.
    """
    require(acting, "manage_users", subject=(f"添加用户“{name}”", f"add '{name}'"))
    name = name.strip()
    tracks = tuple(t.strip() for t in tracks if t.strip())
    _check_new_user(name, role, tracks)

    # An account manager's CRM identity is their user name unless told otherwise.
    if role == "account_manager" and not account_manager:
        account_manager = name

    with warehouse.transaction() as cur:
        taken = cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall()
        if taken:
            raise WorkflowError(
                f"用户“{name}”已存在，未做任何更改。请换一个名字，或用 forecast user "
                "list 查看现有用户。",
                f"A user named '{name}' already exists; nothing was changed. Choose "
                "another name, or see the existing users with `forecast user list`.",
            )

        cur.execute(
            "INSERT INTO users (name, role, tracks, account_manager, email,"
            " password_hash) VALUES (?, ?, ?, ?, ?, ?)",
            [name, role, list(tracks), account_manager, email, password_hash],
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
                "password_set": password_hash is not None,
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


def list_users(
    cur: duckdb.DuckDBPyConnection, actor: Actor = OPERATOR
) -> list[dict[str, Any]]:
    """Every user as {name, role, tracks, account_manager, email}, by name.

    The CEO and admins may list users; password hashes are never returned.
    """
    require(actor, "view_users")
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
