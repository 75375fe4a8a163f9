"""`forecast export aps --as-of D --out FILE`: the forecast hand-off to APS / PMC."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cli.context import CommandContext


def register(subparsers: Any) -> None:
    """Add the `export` command group."""
    parser = subparsers.add_parser(
        "export", help="hand forecasts to other systems (SPEC §8)"
    )
    targets = parser.add_subparsers(dest="target", required=True)

    aps = targets.add_parser(
        "aps",
        help="integrated forecasts and commodity H Potential quotes for APS / PMC",
    )
    aps.add_argument(
        "--as-of", required=True, type=date.fromisoformat, help="as-of date YYYY-MM-DD"
    )
    aps.add_argument(
        "--out", required=True, type=Path, help="output file, .csv (UTF-8 BOM) or .xlsx"
    )
    aps.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    aps.set_defaults(run=run_aps)


def run_aps(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Write the APS/PMC hand-off file scoped to the acting user."""
    # Imported here so that the other commands start without polars work.
    from handoffs.aps_export import build_aps_export, format_from_path

    fmt = format_from_path(args.out.name)
    content = build_aps_export(ctx.warehouse, args.as_of, ctx.actor(), fmt)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    ctx.say(
        f"已导出 APS/PMC 交接文件（截至 {args.as_of}）：{args.out}",
        f"APS/PMC hand-off as of {args.as_of} written to {args.out}",
    )
    return 0
