"""`forecast verify`: recompute the snapshot hash chain and name the first break."""

from __future__ import annotations

import argparse

from cli.context import CommandContext
from warehouse.snapshots import verify_chain


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `verify` command."""
    parser = subparsers.add_parser(
        "verify",
        help="recompute the snapshot hash chain; exit 1 naming the first break",
        description="Recompute every snapshot's content SHA-256 and the chain "
        "that links them in month order.",
    )
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Exit 0 when every snapshot verifies, 1 naming the first broken one."""
    with ctx.warehouse.cursor() as cur:
        result = verify_chain(cur)

    if result.ok:
        ctx.say(result.text("zh"), result.text("en"))
        return 0

    ctx.warn(result.text("zh"), result.text("en"))
    for broken in result.broken:
        ctx.warn(
            f"  {broken.label}：{broken.reason_zh}",
            f"  {broken.label}: {broken.reason_en}",
        )
    return 1
