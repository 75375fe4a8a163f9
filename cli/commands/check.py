"""`forecast check --as-of D [--json]`: evaluate every alert rule, store new alerts."""

from __future__ import annotations

import argparse
import json
from datetime import date

from cli.context import CommandContext
from warehouse.alerts import Alert, run_check, visible_to

_KIND_NAMES = {
    "version_diff": "双版本差异",
    "no_h_potential_by_25th": "25号前未见 H Potential 报价",
    "low_coverage": "机会池覆盖率不足",
    "sales_shortfall": "销售目标偏差",
    "order_shortfall": "接单目标偏差",
    "low_accuracy": "预测准确率偏低",
}
_ROUTE_NAMES = {"track_director": "赛道总监", "business_analysis_pdca": "经营分析PDCA"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` command."""
    parser = subparsers.add_parser(
        "check",
        help="evaluate the alert rules as of a date and store new alerts",
        description="Evaluate every alert rule of the process as of D, store the "
        "alerts never raised before (each is raised once) and print those raised "
        "now that the user may see.",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="as-of date D, YYYY-MM-DD (default today)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Run the check and print the alerts raised now; exit 0."""
    actor = ctx.actor()
    raised = run_check(
        ctx.warehouse, args.as_of or date.today(), ctx.settings, user_name=actor.name
    )
    visible = visible_to(actor, raised)

    if args.json:
        print(
            json.dumps([a.to_json() for a in visible], ensure_ascii=False), file=ctx.out
        )
        return 0

    if not visible:
        ctx.say("没有新的告警。", "No new alerts.")
        return 0
    ctx.say(f"新告警 {len(visible)} 条：", f"{len(visible)} new alerts:")
    for alert in visible:
        ctx.say(alert_line(alert, "zh"), alert_line(alert, "en"))
    return 0


def alert_line(alert: Alert, lang: str) -> str:
    """One alert as a line of text: id, kind, subject, period, route, due, status."""
    zh = lang != "en"
    kind = _KIND_NAMES.get(alert.kind, alert.kind) if zh else alert.kind
    route = _ROUTE_NAMES.get(alert.route, alert.route) if zh else alert.route
    where = " / ".join(
        part
        for part in (
            alert.track,
            alert.account_manager,
            alert.profit_center,
            alert.deal_id,
        )
        if part
    ) or ("全部赛道" if zh else "all tracks")
    parts = [f"#{alert.alert_id}", kind, where, alert.period, route]
    if alert.direction:
        parts.append(alert.direction)
    if alert.due_on:
        parts.append(f"{'到期' if zh else 'due'} {alert.due_on}")
    parts.append(alert.status + (" (overdue)" if alert.overdue else ""))
    return "  ".join(parts)
