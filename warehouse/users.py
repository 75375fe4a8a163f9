"""Who is acting: the users of SPEC §1 and the local operator.

Without `--user` a command runs as the local operator, with full rights, as a
database administrator would; with it, the named user's role and scope apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warehouse.errors import NotFound

ROLES = ("account_manager", "track_director", "ceo", "analyst", "admin")


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
    if not name:
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
    return Actor(name=row[0], role=row[1], tracks=tuple(row[2] or ()), account_manager=row[3])
