"""`forecast run-due --as-of D`: the daily scheduled run (snapshot, check, notify)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from cli.context import CommandContext


def register(subparsers: Any) -> None:
    """Add the `run-due` command."""
    parser = subparsers.add_parser(
        "run-due",
        help="do what the calendar asks today: snapshot, check, accuracy, notify",
        description="Meant for a daily timer. In the first days of a month takes "
        "the month's snapshot if missing; every day runs the alert check; once "
        "a month records last month's accuracy; then delivers the outbox. Running "
        "it twice on a day does the work once. Admins only.",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="the day to run for, YYYY-MM-DD (default today)",
    )
    parser.add_argument(
        "--snapshot-window-days",
        type=int,
        default=None,
        help="last day of the month on which the snapshot is still taken (default 5)",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run_run_due)


def run_run_due(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Run the day's jobs and say what was new."""
    from handoffs.schedule import SNAPSHOT_WINDOW_DAYS, run_due

    as_of = args.as_of or date.today()
    report = run_due(
        ctx.warehouse,
        as_of,
        ctx.settings,
        ctx.user_name or "operator",
        snapshot_window_days=args.snapshot_window_days or SNAPSHOT_WINDOW_DAYS,
    )

    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False), file=ctx.out)
        return 0

    if report.snapshot_taken:
        ctx.say(
            f"已生成快照 {report.snapshot_taken}。",
            f"Snapshot {report.snapshot_taken} taken.",
        )
    if report.snapshot_missing:
        ctx.warn(
            f"本月快照 {report.snapshot_missing} 未在月初生成；如仍需要，请用 "
            f"forecast snapshot --month {report.snapshot_missing} 手动生成。",
            f"This month's snapshot {report.snapshot_missing} was not taken in the "
            "first days; take it by hand with `forecast snapshot --month "
            f"{report.snapshot_missing}` if it is still wanted.",
        )
    if report.alerts_raised:
        ctx.say(
            f"新告警 {len(report.alerts_raised)} 条。",
            f"{len(report.alerts_raised)} new alerts raised.",
        )
    if report.accuracy_recorded:
        ctx.say(
            f"已记录 {report.accuracy_recorded} 的三阶段加权预测准确率。",
            f"Weighted accuracy of {report.accuracy_recorded} recorded.",
        )
    sent = report.delivery
    if report.queued or sent.attempted:
        ctx.say(
            f"通知：新排队 {report.queued} 条，发送 {sent.attempted} 条，成功 "
            f"{sent.delivered}，失败 {sent.failed}。",
            f"Notifications: {report.queued} queued, {sent.attempted} attempted, "
            f"{sent.delivered} delivered, {sent.failed} failed.",
        )
    if report.nothing_new:
        ctx.say(
            f"{as_of} 的计划任务没有新内容（已完成）。",
            f"Nothing new to do for {as_of}: the day's jobs are done.",
        )
    return 0
