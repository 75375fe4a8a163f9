"""`forecast notify`: deliver what waits in the alert outbox (SPEC §5)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.context import CommandContext
from warehouse import audit
from warehouse.access import require


def register(subparsers: Any) -> None:
    """Add the `notify` command."""
    parser = subparsers.add_parser(
        "notify",
        help="queue messages for alerts that have none and deliver the outbox",
        description="Queue e-mail and group-chat messages for stored alerts that "
        "have none yet, then send every message whose next attempt is due. A "
        "failed message stays queued with its error and is retried with back-off; "
        "a delivered one is never sent again. Admins only.",
    )
    parser.add_argument(
        "--retry-now",
        action="store_true",
        help="retry failed messages at once instead of waiting out the back-off",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run_notify)


def run_notify(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Deliver the outbox; exit 0 even when some messages must wait for a retry."""
    from handoffs.delivery import notify

    actor = ctx.actor()
    require(actor, "notify")
    report = notify(ctx.warehouse, ctx.settings, ignore_backoff=args.retry_now)
    sent = report.delivery

    # The outbox records each attempt but not who asked for the run.
    with ctx.warehouse.transaction() as cur:
        audit.record(
            cur,
            actor.name,
            "notify",
            None,
            {"queued": report.queued, "attempted": sent.attempted},
        )

    if args.json:
        payload = {
            "queued": report.queued,
            "attempted": sent.attempted,
            "delivered": sent.delivered,
            "failed": sent.failed,
            "waiting": sent.waiting,
            "errors": list(sent.errors),
        }
        print(json.dumps(payload, ensure_ascii=False), file=ctx.out)
        return 0

    ctx.say(
        f"新排队 {report.queued} 条；本次发送 {sent.attempted} 条：成功 "
        f"{sent.delivered}，失败 {sent.failed}（保留在发件箱中稍后重试）；"
        f"另有 {sent.waiting} 条等待重试时间。",
        f"{report.queued} queued; {sent.attempted} attempted: {sent.delivered} "
        f"delivered, {sent.failed} failed (kept in the outbox for a retry); "
        f"{sent.waiting} more waiting for their retry time.",
    )
    for error in sent.errors:
        ctx.warn(error, error)
    return 0
