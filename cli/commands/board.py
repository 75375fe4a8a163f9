"""`forecast board --as-of D [--json]`: the board of SPEC §4 and §7, in scope."""

from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cli.context import CommandContext
from rules.commodity import OrderAttainment
from warehouse.board import Board, IntegratedBoard, build_board

_WAN = Decimal(10000)

_STATUS = {"healthy": ("健康", "healthy"), "alert": ("告警", "alert")}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `board` command."""
    parser = subparsers.add_parser(
        "board",
        help="print the board as of a date",
        description="The integrated board per track and in total (target, expected "
        "revenue, gap, pipeline, coverage, pace, accuracy) and commodity order "
        "attainment year to date, for the deals the user may see.",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="as-of date D, YYYY-MM-DD (default today)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON of SPEC §7")
    parser.add_argument("--user", default=argparse.SUPPRESS, help="act as this user")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print the board as JSON or as a readable table; exit 0."""
    actor = ctx.actor()
    with ctx.warehouse.cursor() as cur:
        board = build_board(cur, args.as_of or date.today(), ctx.settings, actor)

    if args.json:
        print(json.dumps(board.to_json(), ensure_ascii=False), file=ctx.out)
    else:
        for line in board_text(board, ctx.lang):
            print(line, file=ctx.out)
    return 0


def board_text(board: Board, lang: str) -> list[str]:
    """The board as lines of text in the user's language, amounts in 万元."""
    zh = lang != "en"
    lines = [
        f"销售看板 截至 {board.as_of}（{board.year} 年，剩余 {board.remaining_months} "
        "个月；金额单位：万元）"
        if zh
        else f"Board as of {board.as_of} ({board.year}, {board.remaining_months} "
        "months remaining; amounts in 10k CNY)",
        "",
        "模塑一体" if zh else "Integrated",
    ]

    header = (
        ["赛道", "目标", "量产预计", "模具开发预计", "剩余缺口", "机会金额", "加权机会"]
        + ["覆盖率", "状态", "月度节奏", "本月转化", "准确率"]
        if zh
        else ["track", "target", "MP expected", "mold expected", "gap", "pipeline"]
        + ["weighted", "coverage", "status", "pace", "converted", "accuracy"]
    )
    rows = [_integrated_row("合计" if zh else "total", board.integrated_total, zh)]
    rows += [
        _integrated_row(track, b, zh)
        for track, b in sorted(board.integrated_tracks.items())
    ]
    lines += _table(header, rows)

    lines += ["", "商品模（年累计接单）" if zh else "Commodity (orders year to date)"]
    header = (
        ["", "接单目标", "实际接单", "达成率"]
        if zh
        else ["", "order target", "orders", "attainment"]
    )
    commodity = board.commodity
    rows = [_attainment_row("合计" if zh else "total", commodity.total)]
    rows += [
        _attainment_row(f"{'客户经理' if zh else 'manager'} {name}", a)
        for name, a in sorted(commodity.account_managers.items())
    ]
    rows += [
        _attainment_row(f"{'利润中心' if zh else 'profit center'} {name}", a)
        for name, a in sorted(commodity.profit_centers.items())
    ]
    lines += _table(header, rows)
    return lines


def _integrated_row(name: str, board: IntegratedBoard, zh: bool) -> list[str]:
    m = board.metrics
    accuracy = "—"
    if board.accuracy is not None:
        accuracy = f"{_percent(board.accuracy.weighted)} ({board.accuracy.month})"
    status = _STATUS.get(m.coverage_status, (m.coverage_status, m.coverage_status))
    return [
        name,
        _wan(m.target),
        _wan(m.mp_expected),
        _wan(m.mold_expected),
        _wan(m.gap),
        _wan(m.pipeline),
        _wan(m.weighted_pipeline),
        "—" if m.coverage is None else f"{m.coverage:.2f}",
        status[0] if zh else status[1],
        _wan(m.monthly_pace),
        _wan(m.converted_this_month),
        accuracy,
    ]


def _attainment_row(name: str, attainment: OrderAttainment) -> list[str]:
    return [
        name,
        _wan(attainment.order_target),
        _wan(attainment.orders),
        "—" if attainment.attainment is None else _percent(attainment.attainment),
    ]


def _wan(amount: Decimal) -> str:
    return f"{(amount / _WAN).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    # Pad by display width: Chinese characters take two columns in a terminal.
    widths = [
        max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))
    ]
    return [
        "  ".join(
            _pad(cell, width, left=i == 0)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text
