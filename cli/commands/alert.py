"""`forecast alert list | handle | escalate`: the life of an alert (SPEC §5)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from cli.commands.check import alert_line
from cli.context import CommandContext
from rules.alerts import KINDS
from warehouse.alerts import STATUSES, escalate_alert, handle_alert, list_alerts


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `alert` command group."""
    parser = subparsers.add_parser(
        "alert",
        help="list, handle or escalate alerts",
        description="Track directors handle an alert within the handling window "
        "(with a conclusion) or escalate it to the CEO.",
    )
    actions = parser.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="list the alerts you may see")
    listing.add_argument("--kind", choices=KINDS, help="only this kind")
    listing.add_argument(
        "--status", choices=(*STATUSES, "overdue"), help="only this status"
    )
    listing.add_argument("--track", help="only this track")
    listing.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="date that decides what is overdue, YYYY-MM-DD (default today)",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    listing.set_defaults(run=run_list)

    handle = actions.add_parser("handle", help="close an alert with a conclusion")
    handle.add_argument("alert_id", type=int, help="the alert's number")
    handle.add_argument("--conclusion", required=True, help="what was decided")
    handle.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    handle.set_defaults(run=run_handle)

    escalate = actions.add_parser("escalate", help="escalate an alert to the CEO")
    escalate.add_argument("alert_id", type=int, help="the alert's number")
    escalate.add_argument("--note", required=True, help="why it goes to the CEO")
    escalate.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    escalate.set_defaults(run=run_escalate)


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print the alerts the user may see, with status and overdue flag; exit 0."""
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        alerts = list_alerts(
            cur,
            actor,
            kind=args.kind,
            status=args.status,
            track=args.track,
            today=args.today,
        )

    if args.json:
        print(
            json.dumps([a.to_json() for a in alerts], ensure_ascii=False), file=ctx.out
        )
        return 0

    if not alerts:
        ctx.say("没有符合条件的告警。", "No alerts match.")
    for alert in alerts:
        ctx.say(alert_line(alert, "zh"), alert_line(alert, "en"))
    return 0


def run_handle(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Record the conclusion that closes an alert; exit 0, or 1 when refused."""
    handle_alert(ctx.warehouse, args.alert_id, args.conclusion, ctx.user_name)
    ctx.say(f"告警 {args.alert_id} 已处理。", f"Alert {args.alert_id} is handled.")
    return 0


def run_escalate(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Escalate an open alert to the CEO; exit 0, or 1 when refused."""
    escalate_alert(
        ctx.warehouse, args.alert_id, args.note, ctx.user_name, settings=ctx.settings
    )
    ctx.say(
        f"告警 {args.alert_id} 已上升至 CEO。",
        f"Alert {args.alert_id} is escalated to the CEO.",
    )
    return 0
