"""`forecast pack --as-of D --out FILE`: the monthly supervision meeting pack."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cli.context import CommandContext


def register(subparsers: Any) -> None:
    """Add the `pack` command."""
    parser = subparsers.add_parser(
        "pack",
        help="the monthly supervision meeting pack (销售督导例会), .pdf or .xlsx",
    )
    parser.add_argument(
        "--as-of",
        required=True,
        type=date.fromisoformat,
        help="day the pack is made; it is built from the latest snapshot on or before",
    )
    parser.add_argument("--out", required=True, type=Path, help="output .pdf or .xlsx")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run_pack)


def run_pack(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Write the meeting pack for the acting user's scope."""
    # Imported here: plotly and the board stay out of the other commands' start.
    from handoffs.meeting_pack import build_meeting_pack, format_from_path

    fmt = format_from_path(args.out.name)
    content = build_meeting_pack(
        ctx.warehouse, args.as_of, ctx.settings, ctx.actor(), fmt
    )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    ctx.say(
        f"已生成例会材料：{args.out}",
        f"Meeting pack written to {args.out}",
    )
    return 0
