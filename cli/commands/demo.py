"""`forecast demo`: build the sample warehouse (the year 2026) from sample_data/."""

from __future__ import annotations

import argparse
from typing import Any

from cli.context import CommandContext
from warehouse.demo import SAMPLE_AS_OF, build_sample


def register(subparsers: Any) -> None:
    """Add the `demo` command."""
    parser = subparsers.add_parser(
        "demo",
        help="build the sample warehouse (2026, as of 2026-11-27) into an empty --db",
        description="Replay the sample year 2026 from sample_data/ into the "
        "warehouse: every extract month by month, the monthly snapshots, the "
        "2026 baseline and the sample users. Refuses a warehouse that holds deals.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Build the sample and print what it holds."""
    summary = build_sample(ctx.warehouse, user_name=ctx.user_name or "operator")

    path = ctx.warehouse.path
    as_of = SAMPLE_AS_OF.isoformat()
    ctx.say(
        f"示例仓库已生成：{path}",
        f"Sample warehouse built: {path}",
    )
    ctx.say(
        f"  导入文件 {summary.files_loaded} 个，商机 {summary.deals} 个，"
        f"月度快照 {summary.snapshots} 个，年度基准 1 个，用户 {summary.users} 个，"
        f"用时 {summary.seconds:.1f} 秒。",
        f"  {summary.files_loaded} files loaded, {summary.deals} deals, "
        f"{summary.snapshots} monthly snapshots, 1 annual baseline, "
        f"{summary.users} users, in {summary.seconds:.1f} s.",
    )
    ctx.say(
        f"  示例日期为 {as_of}，例如："
        f"forecast --db {path} board --as-of {as_of} --json",
        f"  The sample's as-of date is {as_of}; try: "
        f"forecast --db {path} board --as-of {as_of} --json",
    )
    return 0
