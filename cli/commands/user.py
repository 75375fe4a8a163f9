"""`forecast user add / list`: the users of SPEC §1 and their scope."""

from __future__ import annotations

import argparse
import json

from cli.context import CommandContext
from warehouse.users import ROLES, add_user, list_users


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `user` command group (add, list)."""
    parser = subparsers.add_parser("user", help="add and list users")
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
    add.add_argument("--email", help="where alerts are delivered")
    add.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list the users")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    listing.set_defaults(run=run_list)


def run_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Add one user; refused (exit 1) unless acting as an admin or the operator."""
    tracks = [t.strip() for t in args.tracks.replace("，", ",").split(",") if t.strip()]
    user = add_user(
        ctx.warehouse,
        args.name,
        args.role,
        tracks=tracks,
        account_manager=args.account_manager,
        email=args.email,
        acting=ctx.actor(),
    )
    ctx.say(
        f"已添加用户“{user.name}”，角色 {user.role}"
        + (f"，赛道 {', '.join(user.tracks)}" if user.tracks else "")
        + "。",
        f"User '{user.name}' added as {user.role}"
        + (f", tracks {', '.join(user.tracks)}" if user.tracks else "")
        + ".",
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print every user, as a table or as a JSON list."""
    with ctx.warehouse.cursor() as cur:
        users = list_users(cur)

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
