"""`forecast user add / password / list`: the users of SPEC §1, their scope and
their dashboard passwords."""

from __future__ import annotations

import argparse
import json
import sys

from cli.context import CommandContext
from warehouse.access import require
from warehouse.errors import ForecastError
from warehouse.sign_in import hash_password, set_password
from warehouse.users import ROLES, add_user, list_users


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `user` command group (add, password, list)."""
    parser = subparsers.add_parser("user", help="add and list users, set passwords")
    actions = parser.add_subparsers(dest="user_action", required=True)

    add = actions.add_parser("add", help="add a user (admins only)")
    add.add_argument("name", help="user name, as given to --user")
    add.add_argument("--role", required=True, choices=ROLES, help="the user's role")
    add.add_argument(
        "--tracks",
        default="",
        help="comma-separated tracks a track director owns, e.g. auto,medical",
    )
    add.add_argument(
        "--account-manager",
        help="the CRM's name for this account manager (default: the user name)",
    )
    add.add_argument(
        "--email", help="where alerts are delivered; also the single sign-on identity"
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the user's dashboard password from the first line of stdin",
    )
    add.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    add.set_defaults(run=run_add)

    password = actions.add_parser(
        "password",
        help="set a user's dashboard password (admins only); ends a lock-out",
    )
    password.add_argument("name", help="the user whose password is set")
    password.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the new password from the first line of stdin",
    )
    password.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    password.set_defaults(run=run_password)

    listing = actions.add_parser("list", help="list the users (CEO and admins)")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    listing.set_defaults(run=run_list)


def run_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Add one user; refused (exit 1) unless acting as an admin or the operator."""
    tracks = [t.strip() for t in args.tracks.replace("，", ",").split(",") if t.strip()]
    acting = ctx.actor()

    # Refused before the password is read or hashed; add_user checks again.
    password_hash = None
    if args.password_stdin:
        require(acting, "manage_users")
        password_hash = hash_password(_password_from_stdin(), args.name)

    user = add_user(
        ctx.warehouse,
        args.name,
        args.role,
        tracks=tracks,
        account_manager=args.account_manager,
        email=args.email,
        password_hash=password_hash,
        acting=acting,
    )
    ctx.say(
        f"已添加用户“{user.name}”，角色 {user.role}"
        + (f"，赛道 {', '.join(user.tracks)}" if user.tracks else "")
        + ("，已设置看板登录密码" if password_hash else "")
        + "。",
        f"User '{user.name}' added as {user.role}"
        + (f", tracks {', '.join(user.tracks)}" if user.tracks else "")
        + (", with a dashboard password" if password_hash else "")
        + ".",
    )
    return 0


def run_password(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Set a user's dashboard password from stdin; exit 1 when refused."""
    acting = ctx.actor()
    require(acting, "manage_users", subject=(f"用户“{args.name}”", args.name))

    set_password(ctx.warehouse, args.name, _password_from_stdin(), acting=acting)
    ctx.say(
        f"已为用户“{args.name}”设置新的看板登录密码；如该账户被锁定，现已解锁。",
        f"User '{args.name}' has a new dashboard password; a lock-out, if any, "
        "has ended.",
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print every user, as a table or as a JSON list."""
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        users = list_users(cur, actor)

    if args.json:
        print(json.dumps(users, ensure_ascii=False, indent=2), file=ctx.out)
        return 0

    if not users:
        ctx.say(
            "尚无用户。用 forecast user add 添加。",
            "There are no users yet. Add one with `forecast user add`.",
        )
    for user in users:
        line = "  ".join(
            [
                user["name"],
                user["role"],
                ",".join(user["tracks"]),
                user["account_manager"] or "",
                user["email"] or "",
            ]
        ).rstrip()
        ctx.say(line, line)
    return 0


def _password_from_stdin() -> str:
    # The first line only, without its line ending: `echo secret | forecast …`.
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise ForecastError(
            "没有从标准输入读到密码，未做任何更改。请把密码作为第一行输入，例如："
            "printf '%s\\n' \"$PASSWORD\" | "
            "forecast user password 名字 --password-stdin。",
            "No password was read from standard input, so nothing was changed. "
            "Give it as the first line, e.g. printf '%s\\n' \"$PASSWORD\" | "
            "forecast user password NAME --password-stdin.",
        )
    return password
