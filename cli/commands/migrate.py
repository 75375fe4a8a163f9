"""`forecast migrate request / approve / reject / execute / list`: the baseline
migration workflow of SPEC §6, acting as --user NAME."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from cli.context import CommandContext
from warehouse.migrations import (
    STATUS_NAMES_ZH,
    approve_migration,
    execute_migration,
    list_migrations,
    reject_migration,
    request_migration,
)


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            f"not an amount: {text!r} (write e.g. 1200000 or 1,200,000.50)"
        ) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `migrate` command group."""
    parser = subparsers.add_parser(
        "migrate",
        help="move an opportunity's baseline to a new opportunity (request, "
        "approve/reject, execute, list)",
    )
    steps = parser.add_subparsers(dest="migrate_step", required=True)

    request = steps.add_parser(
        "request", help="ask to migrate (the old deal's account manager)"
    )
    request.add_argument("--year", type=int, required=True, help="baseline year")
    request.add_argument("--from", dest="from_deal", required=True, help="old deal")
    request.add_argument("--to", dest="to_deal", required=True, help="new deal")
    request.add_argument(
        "--amount",
        type=_amount,
        help="baseline sales to move, CNY (default: all of the old deal's)",
    )
    request.add_argument("--reason", required=True, help="why the baseline moves")
    request.set_defaults(run=run_request)

    approve = steps.add_parser("approve", help="approve (the track's director)")
    approve.add_argument("migration_id", type=int)
    approve.add_argument("--note", default="", help="the director's remark")
    approve.set_defaults(run=run_approve)

    reject = steps.add_parser("reject", help="reject (the track's director)")
    reject.add_argument("migration_id", type=int)
    reject.add_argument("--note", required=True, help="why it is rejected")
    reject.set_defaults(run=run_reject)

    execute = steps.add_parser("execute", help="execute an approved one (admin)")
    execute.add_argument("migration_id", type=int)
    execute.set_defaults(run=run_execute)

    listing = steps.add_parser("list", help="list the requests you may see")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="day against which overdue is judged, YYYY-MM-DD (default today)",
    )
    listing.set_defaults(run=run_list)

    for step in (request, approve, reject, execute, listing):
        step.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")


def run_request(args: argparse.Namespace, ctx: CommandContext) -> int:
    """File a migration request and print its id."""
    migration_id = request_migration(
        ctx.warehouse,
        year=args.year,
        from_deal=args.from_deal,
        to_deal=args.to_deal,
        amount=args.amount,
        reason=args.reason,
        user_name=ctx.user_name or "operator",
    )
    ctx.say(
        f"已提交迁移申请 {migration_id}：{args.year} 年基准 {args.from_deal} → "
        f"{args.to_deal}，待赛道总监审批。",
        f"Migration {migration_id} requested: {args.year} baseline "
        f"{args.from_deal} -> {args.to_deal}, waiting for the track director.",
    )
    return 0


def run_approve(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Approve a request."""
    approve_migration(
        ctx.warehouse,
        args.migration_id,
        user_name=ctx.user_name or "operator",
        note=args.note,
    )
    days = ctx.settings.handling_days
    ctx.say(
        f"已批准迁移申请 {args.migration_id}，请系统管理员在 {days} 日内执行。",
        f"Migration {args.migration_id} approved; an admin should execute it "
        f"within {days} days.",
    )
    return 0


def run_reject(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Reject a request with a note."""
    reject_migration(
        ctx.warehouse,
        args.migration_id,
        user_name=ctx.user_name or "operator",
        note=args.note,
    )
    ctx.say(
        f"已驳回迁移申请 {args.migration_id}。",
        f"Migration {args.migration_id} rejected.",
    )
    return 0


def run_execute(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Execute an approved request: new baseline versions for both deals."""
    execute_migration(
        ctx.warehouse, args.migration_id, user_name=ctx.user_name or "operator"
    )
    ctx.say(
        f"已执行迁移申请 {args.migration_id}：两个商机各写入新的基准版本，旧版本保留。",
        f"Migration {args.migration_id} executed: both deals have a new baseline "
        "version; the old versions stay.",
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print the requests the user may see, with status, due date and overdue."""
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        migrations = list_migrations(
            cur, actor, today=args.as_of, settings=ctx.settings
        )

    if args.json:
        rows = [m.as_dict() for m in migrations]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=ctx.out)
        return 0

    if not migrations:
        ctx.say("没有迁移申请。", "There are no migration requests.")
    for m in migrations:
        due_zh = (
            f"  应于 {m.due_on} 前执行" if m.due_on and m.status == "approved" else ""
        )
        due_en = f"  due {m.due_on}" if m.due_on and m.status == "approved" else ""
        ctx.say(
            f"{m.migration_id}  {m.year}  {m.from_deal} → {m.to_deal}  "
            f"{m.amount / 10000:,.2f} 万元  {STATUS_NAMES_ZH[m.status]}{due_zh}"
            f"{'  已逾期' if m.overdue else ''}  {m.reason}",
            f"{m.migration_id}  {m.year}  {m.from_deal} -> {m.to_deal}  "
            f"CNY {m.amount:,.2f}  {m.status}{due_en}"
            f"{'  OVERDUE' if m.overdue else ''}  {m.reason}",
        )
    return 0
