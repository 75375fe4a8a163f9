"""`forecast baseline --year Y [--as-of D]`: take the annual baseline, or show it."""

from __future__ import annotations

import argparse
import json
from datetime import date

from cli.context import CommandContext
from warehouse.baselines import PHASE_NAMES_ZH, current_baseline, take_baseline


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `baseline` command."""
    parser = subparsers.add_parser(
        "baseline",
        help="take the year's baseline (once), or --show the current one",
        description="Write the year-start commitment of every deal not lost: "
        "expected order month and amount, monthly sales. Mold-development and "
        "mass-production deals are locked. Admins only.",
    )
    parser.add_argument("--year", type=int, required=True, help="baseline year")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="date of the forecasts to commit, YYYY-MM-DD (default today)",
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="print the latest baseline version of each deal you may see",
    )
    parser.add_argument("--json", action="store_true", help="with --show: print JSON")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Take the baseline (exit 0), or refuse a year already taken (exit 1)."""
    if args.show:
        return _show(args, ctx)

    info = take_baseline(
        ctx.warehouse,
        args.year,
        as_of=args.as_of,
        user_name=ctx.user_name or "operator",
    )
    ctx.say(
        f"已生成 {info.year} 年基准（截至 {info.as_of}）：{info.deal_count:,} 个商机，"
        f"其中 {info.locked_count:,} 个（模具开发、量产）已锁定。",
        f"The {info.year} baseline was taken (as of {info.as_of}): "
        f"{info.deal_count:,} deals, {info.locked_count:,} of them locked "
        "(mold_development, mass_production).",
    )
    return 0


def _show(args: argparse.Namespace, ctx: CommandContext) -> int:
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        frame = current_baseline(cur, args.year, actor)

    if args.json:
        rows = [
            {
                "deal_id": row["deal_id"],
                "version": row["version"],
                "track": row["track"],
                "account_manager": row["account_manager"],
                "effective_phase": row["effective_phase"],
                "locked": row["locked"],
                "expected_order_month": (
                    row["expected_order_month"].strftime("%Y-%m")
                    if row["expected_order_month"]
                    else None
                ),
                "expected_order_amount": float(row["expected_order_amount"]),
                "sales": float(row["sales"]),
            }
            for row in frame.iter_rows(named=True)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.out)
        return 0

    if frame.is_empty():
        ctx.say(
            f"{args.year} 年没有可见的基准。",
            f"There is no {args.year} baseline that you may see.",
        )
    for row in frame.iter_rows(named=True):
        locked = row["locked"]
        ctx.say(
            f"{row['deal_id']}  第 {row['version']} 版  "
            f"{PHASE_NAMES_ZH[row['effective_phase']]}"
            f"{'（锁定）' if locked else ''}  销售 {row['sales'] / 10000:,.2f} 万元",
            f"{row['deal_id']}  v{row['version']}  {row['effective_phase']}"
            f"{' (locked)' if locked else ''}  sales CNY {row['sales']:,.2f}",
        )
    return 0
