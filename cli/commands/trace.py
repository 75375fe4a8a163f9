"""`forecast trace DEAL [--json]`: a deal's whole history in time order."""

from __future__ import annotations

import argparse
import json

from cli.context import CommandContext
from warehouse.trace import deal_trace


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `trace` command."""
    parser = subparsers.add_parser(
        "trace",
        help="every forecast revision, snapshot, baseline version and migration "
        "of a deal, in time order",
    )
    parser.add_argument("deal_id", help="the deal (商机编号)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print the deal's events, one a line, or as a JSON list."""
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        events = deal_trace(cur, args.deal_id, actor)

    if args.json:
        rows = [event.as_dict() for event in events]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.out)
        return 0

    for event in events:
        stamp = event.at.strftime("%Y-%m-%d %H:%M")
        ctx.say(f"{stamp}  {event.text('zh')}", f"{stamp}  {event.text('en')}")
    return 0
