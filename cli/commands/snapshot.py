"""`forecast snapshot --month YYYY-MM [--as-of D]`: take a month's snapshot once."""

from __future__ import annotations

import argparse
import json
from datetime import date

from cli.context import CommandContext
from warehouse.snapshots import list_snapshots, take_snapshot


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `snapshot` command."""
    parser = subparsers.add_parser(
        "snapshot",
        help="take the month's snapshot (once; never replaced), or list them",
        description="Freeze every deal and its current rolling and precision "
        "forecasts as the month's snapshot, chained by SHA-256. Admins only.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", help="snapshot label YYYY-MM")
    which.add_argument("--list", action="store_true", help="list the snapshots taken")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="date of the facts to freeze, YYYY-MM-DD (default today)",
    )
    parser.add_argument("--json", action="store_true", help="with --list: print JSON")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Take the snapshot (exit 0), or refuse an existing one (exit 1)."""
    if args.list:
        return _list(args, ctx)

    info = take_snapshot(
        ctx.warehouse,
        args.month,
        as_of=args.as_of,
        user_name=ctx.user_name or "operator",
    )
    ctx.say(
        f"已生成快照 {info.label}（截至 {info.as_of}）：{info.deal_count:,} 个商机，"
        f"{info.forecast_rows:,} 行预测。链式 SHA-256：{info.chain_sha256}",
        f"Snapshot {info.label} taken (as of {info.as_of}): {info.deal_count:,} "
        f"deals, {info.forecast_rows:,} forecast rows. Chain SHA-256: "
        f"{info.chain_sha256}",
    )
    return 0


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.warehouse.cursor() as cur:
        snapshots = list_snapshots(cur)

    if args.json:
        rows = [
            {
                "label": s.label,
                "as_of": s.as_of.isoformat(),
                "taken_at": s.taken_at.isoformat(sep=" "),
                "taken_by": s.taken_by,
                "deal_count": s.deal_count,
                "forecast_rows": s.forecast_rows,
                "content_sha256": s.content_sha256,
                "chain_sha256": s.chain_sha256,
            }
            for s in snapshots
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.out)
        return 0

    if not snapshots:
        ctx.say("尚未生成任何快照。", "No snapshot has been taken yet.")
    for s in snapshots:
        ctx.say(
            f"{s.label}  截至 {s.as_of}  {s.deal_count:,} 个商机  "
            f"{s.forecast_rows:,} 行预测  {s.taken_by}  {s.chain_sha256[:16]}…",
            f"{s.label}  as of {s.as_of}  {s.deal_count:,} deals  "
            f"{s.forecast_rows:,} forecast rows  {s.taken_by}  {s.chain_sha256[:16]}…",
        )
    return 0
