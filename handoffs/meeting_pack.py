"""The monthly supervision meeting pack (销售督导例会 月度材料), as PDF or XLSX.

The pack is built from the latest snapshot taken on or before the day it is
made (D) and is stated as of that snapshot: the board, the track table,
accuracy and commodity attainment are computed as of the snapshot's as-of
date, and "what changed" compares that snapshot with the one before it. The
alerts section lists the alerts still open, overdue or escalated on D itself,
because the meeting acts on those.

The PDF is HTML printed by headless Chromium, with the charts drawn by Plotly
and rendered to inline SVG by kaleido; text stays text, so Chinese renders in
the CJK font (WenQuanYi Micro Hei on the servers) and can be searched and
copied. The XLSX has one sheet per section, numbers as numbers, amounts in
CNY with the overview also in 万元.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
import xlsxwriter

from handoffs.aps_export import neutralise
from handoffs.outbox import KIND_NAMES, ROUTE_NAMES
from rules.settings import Settings
from warehouse import audit, sql
from warehouse.board import Board, accuracy_by_month, build_board
from warehouse.connection import Warehouse
from warehouse.errors import ForecastError, NotFound
from warehouse.users import Actor, deal_scope

log = logging.getLogger(__name__)

TITLE = "销售督导例会 月度材料"
FORMATS = ("pdf", "xlsx")
FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'

CHANGE_NAMES = {
    "new": "新增商机",
    "won": "赢单（转入模具开发/量产）",
    "lost": "丢单",
    "pulled_in": "接单提前",
    "pushed_out": "接单推迟",
    "grown": "金额增加",
    "shrunk": "金额减少",
}
PHASE_NAMES = {
    "opportunity": "机会",
    "mold_development": "模具开发",
    "mass_production": "量产",
    "lost": "丢单",
}
STATUS_NAMES = {
    "open": "待处理",
    "overdue": "已逾期",
    "escalated": "已上升CEO",
    "handled": "已处理",
}
COVERAGE_STATUS_NAMES = {"healthy": "健康", "alert": "告警"}

# (key, 中文) of the integrated metrics, amounts in CNY unless named otherwise.
METRICS = (
    ("target", "年度销售目标"),
    ("mp_expected", "量产预计收入"),
    ("mold_expected", "模具开发预计收入"),
    ("gap", "剩余缺口"),
    ("pipeline", "机会金额"),
    ("weighted_pipeline", "加权机会金额"),
    ("monthly_pace", "月度转化节奏（本月需转化）"),
    ("converted_this_month", "本月已转化"),
)

_WAN = Decimal(10000)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PackData:
    """Everything one pack shows, gathered once and rendered as PDF or XLSX.

    accuracy: month, track (None for the total), opportunity, mold_development,
    mass_production, weighted (ratios; all None for a month without snapshot).
    alerts: alert_id, kind, track, account_manager, profit_center, deal_id,
    period, route, status, due_on.
    changes: the columns of snapshot_changes.sql.
    """

    made_on: date
    snapshot_label: str
    snapshot_as_of: date
    previous_label: str | None
    scope: str
    board: Board
    accuracy: pl.DataFrame
    alerts: pl.DataFrame
    changes: pl.DataFrame
    coverage_threshold: Decimal = Decimal("1.5")

    @property
    def subtitle(self) -> str:
        """The line under the title: snapshot, its as-of date, the making day, scope."""
        return (
            f"快照 {self.snapshot_label}（数据截至 {self.snapshot_as_of}）"
            f" · 编制日期 {self.made_on} · 范围：{self.scope}"
        )


def build_meeting_pack(
    warehouse: Warehouse, as_of: date, settings: Settings, actor: Actor, fmt: str
) -> bytes:
    """The meeting pack made on D for the actor's scope, as "pdf" or "xlsx" bytes."""
    if fmt not in FORMATS:
        raise _unknown_format(fmt)

    with warehouse.transaction() as cur:
        data = gather_pack(cur, as_of, settings, actor)
        audit.record(
            cur,
            actor.name,
            "pack.build",
            data.snapshot_label,
            {"made_on": as_of.isoformat(), "format": fmt},
        )

    log.info(
        "meeting pack of snapshot %s (made %s) for %s as %s",
        data.snapshot_label,
        as_of,
        actor.name,
        fmt,
    )
    return render_pdf(data) if fmt == "pdf" else render_xlsx(data)


def gather_pack(
    cur: duckdb.DuckDBPyConnection, as_of: date, settings: Settings, actor: Actor
) -> PackData:
    """The pack's figures: board of the latest snapshot ≤ D, changes, open alerts."""
    snapshots = cur.execute(
        "SELECT label, as_of FROM snapshots WHERE as_of <= ?"
        " ORDER BY label DESC LIMIT 2",
        [as_of],
    ).fetchall()
    if not snapshots:
        raise NotFound(
            f"截至 {as_of} 还没有任何快照，无法编制例会材料。请先用 forecast snapshot "
            "--month YYYY-MM 生成月度快照。",
            f"There is no snapshot taken on or before {as_of}, so there is nothing "
            "to build the meeting pack from. Take the monthly snapshot first with "
            "`forecast snapshot --month YYYY-MM`.",
        )
    label, snapshot_as_of = snapshots[0]
    previous = snapshots[1][0] if len(snapshots) > 1 else None

    # Limitation: the board is computed from live tables as of the snapshot's
    # as-of date, with the latest loaded deal attributes (SPEC §4) — a deal
    # renamed or re-staged after the snapshot shows as it is now.
    board = build_board(cur, snapshot_as_of, settings, actor)
    accuracy = _accuracy_frame(
        accuracy_by_month(cur, snapshot_as_of.year, snapshot_as_of, settings, actor)
    )
    return PackData(
        made_on=as_of,
        snapshot_label=label,
        snapshot_as_of=snapshot_as_of,
        previous_label=previous,
        scope=_scope_text(actor),
        board=board,
        accuracy=accuracy,
        alerts=_open_alerts(cur, actor, as_of),
        changes=snapshot_changes(cur, label, previous, actor),
        coverage_threshold=settings.coverage_threshold,
    )


def snapshot_changes(
    cur: duckdb.DuckDBPyConnection, current: str, previous: str | None, actor: Actor
) -> pl.DataFrame:
    """Deals new, won, lost, pulled in, pushed out, grown or shrunk between snapshots.

    Without a previous snapshot every deal of `current` counts as new. Sales are
    the current forecast's mold + product sales over the months of the current
    snapshot's year, in CNY.
    """
    sees_all, tracks, account_manager = deal_scope(actor)
    return cur.sql(
        sql.query("handoffs", "snapshot_changes"),
        params={
            "current": current,
            "previous": previous or "",
            "year": int(current[:4]),
            "sees_all": sees_all,
            "tracks": tracks,
            "account_manager": account_manager,
        },
    ).pl()


def _accuracy_frame(rows: list[Any]) -> pl.DataFrame:
    records = []
    for row in rows:
        month = row.accuracy
        records.append(
            {
                "month": row.month,
                "track": row.track,
                "opportunity": None if month is None else month.opportunity.accuracy,
                "mold_development": None
                if month is None
                else month.mold_development.accuracy,
                "mass_production": None
                if month is None
                else month.mass_production.accuracy,
                "weighted": None if month is None else month.weighted,
            }
        )
    schema = {
        "month": pl.String,
        "track": pl.String,
        "opportunity": pl.Float64,
        "mold_development": pl.Float64,
        "mass_production": pl.Float64,
        "weighted": pl.Float64,
    }
    # Ratios only: a float is exact enough to show 87.3 %.
    return pl.DataFrame(
        [
            {k: (float(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
            for r in records
        ],
        schema=schema,
        orient="row",
    )


def _open_alerts(
    cur: duckdb.DuckDBPyConnection, actor: Actor, today: date
) -> pl.DataFrame:
    from warehouse.alerts import list_alerts

    alerts = [
        alert
        for alert in list_alerts(cur, actor, today=today)
        if alert.status != "handled"
    ]
    schema = {
        "alert_id": pl.Int64,
        "kind": pl.String,
        "track": pl.String,
        "account_manager": pl.String,
        "profit_center": pl.String,
        "deal_id": pl.String,
        "period": pl.String,
        "route": pl.String,
        "status": pl.String,
        "due_on": pl.Date,
    }
    records = []
    for alert in alerts:
        record = {name: getattr(alert, name) for name in schema}
        if getattr(alert, "overdue", False) and alert.status == "open":
            record["status"] = "overdue"
        records.append(record)
    return pl.DataFrame(records, schema=schema, orient="row")


def _scope_text(actor: Actor) -> str:
    sees_all, tracks, account_manager = deal_scope(actor)
    if sees_all:
        return "全部"
    if tracks:
        return "赛道 " + "、".join(tracks)
    return f"客户经理 {account_manager}"


def _unknown_format(fmt: str) -> ForecastError:
    return ForecastError(
        f"不支持的例会材料格式“{fmt}”。请把输出文件命名为 .pdf 或 .xlsx。",
        f"The meeting pack format '{fmt}' is not supported. Name the output file "
        ".pdf or .xlsx.",
    )


def format_from_path(name: str) -> str:
    """The pack format named by a file's extension (.pdf or .xlsx)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FORMATS:
        raise _unknown_format(suffix or name)
    return suffix


def wan(amount: Decimal | None) -> Decimal | None:
    """An amount in CNY in 万元 (÷ 10,000), rounded half-up to 0.01."""
    if amount is None:
        return None
    return (amount / _WAN).quantize(_CENT, rounding=ROUND_HALF_UP)


def wan_text(amount: Decimal | None) -> str:
    """An amount in CNY as text in 万元 with separators: 1,234.57 万元."""
    value = wan(amount)
    return "—" if value is None else f"{value:,} 万元"


def percent_text(ratio: Decimal | float | None) -> str:
    """A ratio as a percentage with one decimal; missing is "—", never 0."""
    if ratio is None:
        return "—"
    share = (Decimal(str(ratio)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{share}%"


def multiple_text(ratio: Decimal | float | None) -> str:
    """A multiple such as coverage as text: 1.83 倍; missing is "—"."""
    if ratio is None:
        return "—"
    return f"{Decimal(str(ratio)).quantize(_CENT, ROUND_HALF_UP)} 倍"


def pack_charts(data: PackData) -> list[go.Figure]:
    """The charts of the pack: gap waterfall, coverage gauge, monthly pace."""
    m = data.board.integrated_total.metrics
    layout = {
        "font": {"family": FONT_FAMILY, "size": 13},
        "margin": {"l": 50, "r": 30, "t": 60, "b": 40},
        "paper_bgcolor": "white",
    }

    waterfall = go.Figure(
        go.Waterfall(
            measure=["absolute", "relative", "relative", "total"],
            x=["年度目标", "量产预计", "模具开发预计", "剩余缺口"],
            y=[
                float(wan(m.target) or 0),
                -float(wan(m.mp_expected) or 0),
                -float(wan(m.mold_expected) or 0),
                0,
            ],
            text=[
                wan_text(m.target),
                wan_text(m.mp_expected),
                wan_text(m.mold_expected),
                wan_text(m.gap),
            ],
            textposition="outside",
            connector={"line": {"color": "#999"}},
        ),
        layout={**layout, "title": {"text": "剩余缺口（万元）"}, "showlegend": False},
    )

    threshold = float(data.coverage_threshold)
    if m.coverage is None:
        gauge = go.Figure(layout={**layout, "title": {"text": "机会覆盖率"}})
        gauge.add_annotation(
            text="剩余缺口 ≤ 0：无需覆盖（健康）",
            showarrow=False,
            font={"size": 18},
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        gauge.update_xaxes(visible=False)
        gauge.update_yaxes(visible=False)
    else:
        coverage = float(m.coverage)
        top = max(threshold * 2, coverage * 1.2)
        gauge = go.Figure(
            go.Indicator(
                mode="gauge+number",
                value=coverage,
                number={"suffix": " 倍", "valueformat": ".2f"},
                gauge={
                    "axis": {"range": [0, top]},
                    "bar": {"color": "#1f4e79"},
                    "steps": [
                        {"range": [0, threshold], "color": "#f4c7c3"},
                        {"range": [threshold, top], "color": "#c9e7c9"},
                    ],
                    "threshold": {
                        "line": {"color": "red", "width": 3},
                        "value": threshold,
                    },
                },
            ),
            layout={
                **layout,
                "title": {"text": f"机会覆盖率（健康线 {threshold:g} 倍）"},
            },
        )

    pace = go.Figure(
        go.Bar(
            x=["本月需转化", "本月已转化"],
            y=[
                float(wan(m.monthly_pace) or 0),
                float(wan(m.converted_this_month) or 0),
            ],
            text=[wan_text(m.monthly_pace), wan_text(m.converted_this_month)],
            textposition="outside",
            marker={"color": ["#c0504d", "#4f81bd"]},
        ),
        layout={
            **layout,
            "title": {
                "text": f"月度转化节奏（剩余 {data.board.remaining_months} 个月，万元）"
            },
        },
    )
    return [waterfall, gauge, pace]


def render_svgs(
    figures: list[go.Figure], width: int = 560, height: int = 360
) -> list[str]:
    """Each figure as an SVG document, rendered by kaleido in one browser session."""

    async def render() -> list[str]:
        import kaleido

        svgs = []
        async with kaleido.Kaleido(n=1) as renderer:
            for figure in figures:
                svg = await renderer.calc_fig(
                    figure.to_dict(),
                    opts={"format": "svg", "width": width, "height": height},
                )
                svgs.append(svg.decode("utf-8"))
        return svgs

    try:
        return asyncio.run(render())
    except Exception as error:  # kaleido raises its own and the browser's errors
        raise _no_browser(error) from error


def _no_browser(error: BaseException) -> ForecastError:
    return ForecastError(
        "无法绘制例会材料的图表：找不到或无法启动 Chromium。请安装 chromium 和 "
        f"fonts-wqy-microhei（或设置 BROWSER_PATH）后重试。原因：{error}",
        "The meeting pack's charts could not be drawn: Chromium was not found or "
        "did not start. Install chromium and fonts-wqy-microhei (or set "
        f"BROWSER_PATH), then try again. Cause: {error}",
    )


def render_pdf(data: PackData) -> bytes:
    """The pack as a PDF: HTML with inline SVG charts printed by headless Chromium."""
    svgs = render_svgs(pack_charts(data))
    return print_pdf(pack_html(data, svgs))


def print_pdf(document: str) -> bytes:
    """An HTML document printed to PDF by headless Chromium (A4 landscape)."""
    browser = _browser()
    with tempfile.TemporaryDirectory(prefix="forecast-pack-") as folder:
        source = Path(folder) / "pack.html"
        target = Path(folder) / "pack.pdf"
        source.write_text(document, encoding="utf-8")

        # A profile of its own, so that a Chromium already running for someone
        # else (a dashboard test, another pack) does not take the job over.
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise _no_browser(error) from error
        if not target.exists() or target.stat().st_size == 0:
            raise _no_browser(RuntimeError("Chromium wrote no PDF"))
        return target.read_bytes()


def _browser() -> str:
    for candidate in (
        os.environ.get("BROWSER_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise _no_browser(FileNotFoundError("chromium"))


_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { color: #222; font-size: 10.5pt; }
h1 { font-size: 20pt; margin: 0 0 4pt 0; }
h2 { font-size: 14pt; border-bottom: 2px solid #1f4e79; padding-bottom: 2pt;
     margin-top: 14pt; }
.subtitle { color: #555; margin-bottom: 10pt; }
.cards { display: flex; flex-wrap: wrap; gap: 6pt; margin-bottom: 8pt; }
.card { border: 1px solid #ccd; border-radius: 4px; padding: 4pt 8pt;
        min-width: 120pt; }
.card .label { color: #666; font-size: 9pt; }
.card .value { font-size: 13pt; font-weight: bold; }
.alert { color: #c0504d; }
.charts { display: flex; flex-wrap: wrap; gap: 4pt; }
.charts svg { width: 84mm; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; }
th { background: #e8eef5; }
td.n { text-align: right; white-space: nowrap; }
td.s { white-space: nowrap; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.section { page-break-before: always; }
.empty { color: #777; }
"""


def pack_html(data: PackData, svgs: list[str]) -> str:
    """The pack as one HTML document (Chinese), charts given as SVG text."""
    m = data.board.integrated_total.metrics
    status = COVERAGE_STATUS_NAMES.get(m.coverage_status, m.coverage_status)
    status_class = "alert" if m.coverage_status == "alert" else ""
    cards = [(name, wan_text(getattr(m, key))) for key, name in METRICS]
    cards.insert(6, ("机会覆盖率", f"{multiple_text(m.coverage)}（{status}）"))

    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{_e(TITLE)}</title><style>{_CSS}",
        f"body {{ font-family: {FONT_FAMILY}; }}</style></head><body>",
        f"<h1>{_e(TITLE)}</h1>",
        f"<div class='subtitle'>{_e(data.subtitle)}</div>",
        "<h2>一、CEO 看板（模塑一体合计）</h2><div class='cards'>",
    ]
    for name, value in cards:
        css = status_class if name == "机会覆盖率" else ""
        parts.append(
            f"<div class='card'><div class='label'>{_e(name)}</div>"
            f"<div class='value {css}'>{_e(value)}</div></div>"
        )
    parts.append("</div><div class='charts'>")
    parts.extend(svgs)
    parts.append("</div>")

    parts.append("<h2 class='section'>二、赛道明细（模塑一体）</h2>")
    parts.append(_html_table(*_track_table(data, text=True)))

    parts.append("<h2>三、三阶段加权预测准确率</h2>")
    parts.append(_html_table(*_accuracy_table(data, text=True)))

    parts.append("<h2>四、商品模接单达成（年初至今）</h2>")
    parts.append(_html_table(*_commodity_table(data, text=True)))

    parts.append("<h2 class='section'>五、未处理与已上升告警</h2>")
    parts.append(_html_table(*_alert_table(data)))

    previous = data.previous_label or "（无上一快照）"
    parts.append(
        f"<h2>六、较上一快照的变化（{_e(previous)} → {_e(data.snapshot_label)}）</h2>"
    )
    parts.append(_html_table(*_change_table(data, text=True)))

    parts.append("</body></html>")
    return "".join(parts)


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _html_table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "<p class='empty'>无</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for value in row:
            numeric = isinstance(value, str) and (
                value.endswith(("万元", "%", "倍")) or value.replace(",", "").isdigit()
            )
            # Numbers and short names stay on one line; long names may wrap.
            short = len(str(value)) <= 16
            css = " class='n'" if numeric else (" class='s'" if short else "")
            cells.append(f"<td{css}>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


# Each table function returns (headers, rows). With text=True the cells are
# display text (万元, %, 倍); without, the raw values for the XLSX: Decimal
# amounts in CNY, float ratios, dates.


def _track_table(data: PackData, text: bool) -> tuple[list[str], list[list[Any]]]:
    unit = "（万元）" if text else "（元）"
    headers = ["赛道", *[name + unit for _, name in METRICS[:6]]]
    headers += ["机会覆盖率", "覆盖状态", "本月需转化" + unit, "本月已转化" + unit]
    headers += ["准确率月份", "加权准确率"]

    boards = [
        *data.board.integrated_tracks.items(),
        ("合计", data.board.integrated_total),
    ]
    rows: list[list[Any]] = []
    for track, board in boards:
        m = board.metrics
        amounts = [getattr(m, key) for key, _ in METRICS]
        accuracy = board.accuracy
        row: list[Any] = [track]
        if text:
            row += [wan_text(a) for a in amounts[:6]]
            row += [multiple_text(m.coverage)]
            row += [COVERAGE_STATUS_NAMES.get(m.coverage_status, m.coverage_status)]
            row += [wan_text(a) for a in amounts[6:]]
            row += [accuracy.month if accuracy else "—"]
            row += [percent_text(accuracy.weighted if accuracy else None)]
        else:
            row += amounts[:6]
            row += [None if m.coverage is None else float(m.coverage)]
            row += [COVERAGE_STATUS_NAMES.get(m.coverage_status, m.coverage_status)]
            row += amounts[6:]
            row += [accuracy.month if accuracy else None]
            row += [float(accuracy.weighted) if accuracy else None]
        rows.append(row)
    return headers, rows


def _accuracy_table(data: PackData, text: bool) -> tuple[list[str], list[list[Any]]]:
    headers = ["月份", "范围", "机会", "模具开发", "量产", "加权"]
    rows: list[list[Any]] = []
    for r in data.accuracy.iter_rows(named=True):
        values = [r["opportunity"], r["mold_development"], r["mass_production"]]
        values.append(r["weighted"])
        scope = r["track"] or "合计"
        if text:
            if r["weighted"] is None:
                rows.append([r["month"], scope, "无快照", "—", "—", "—"])
            else:
                rows.append([r["month"], scope, *[percent_text(v) for v in values]])
        else:
            rows.append([r["month"], scope, *values])
    return headers, rows


def _commodity_table(data: PackData, text: bool) -> tuple[list[str], list[list[Any]]]:
    unit = "（万元）" if text else "（元）"
    headers = ["维度", "名称", "接单目标" + unit, "实际接单" + unit, "接单达成率"]
    commodity = data.board.commodity
    groups = [
        *[("客户经理", n, a) for n, a in sorted(commodity.account_managers.items())],
        *[("利润中心", n, a) for n, a in sorted(commodity.profit_centers.items())],
        ("合计", "商品模合计", commodity.total),
    ]
    rows: list[list[Any]] = []
    for dimension, name, a in groups:
        if text:
            rows.append(
                [
                    dimension,
                    name,
                    wan_text(a.order_target),
                    wan_text(a.orders),
                    percent_text(a.attainment),
                ]
            )
        else:
            ratio = None if a.attainment is None else float(a.attainment)
            rows.append([dimension, name, a.order_target, a.orders, ratio])
    return headers, rows


def _alert_table(data: PackData) -> tuple[list[str], list[list[Any]]]:
    headers = ["编号", "告警类型", "赛道", "客户经理", "利润中心", "商机", "期间"]
    headers += ["路由", "状态", "处理期限"]
    rows = [
        [
            r["alert_id"],
            KIND_NAMES.get(r["kind"], (r["kind"],))[0],
            r["track"],
            r["account_manager"],
            r["profit_center"],
            r["deal_id"],
            r["period"],
            ROUTE_NAMES.get(r["route"], r["route"]),
            STATUS_NAMES.get(r["status"], r["status"]),
            r["due_on"],
        ]
        for r in data.alerts.iter_rows(named=True)
    ]
    return headers, rows


def _change_table(data: PackData, text: bool) -> tuple[list[str], list[list[Any]]]:
    unit = "（万元）" if text else "（元）"
    headers = ["变化", "赛道", "客户经理", "商机编号", "商机名称", "客户"]
    headers += ["原阶段", "现阶段", "原接单月份", "现接单月份"]
    headers += ["原年度销售" + unit, "现年度销售" + unit, "变化额" + unit]
    rows: list[list[Any]] = []
    for r in data.changes.iter_rows(named=True):
        months = [r["order_month_before"], r["order_month_after"]]
        months = [m.strftime("%Y-%m") if m else None for m in months]
        amounts = [r["sales_before"], r["sales_after"], r["sales_change"]]
        rows.append(
            [
                CHANGE_NAMES.get(r["change"], r["change"]),
                r["track"],
                r["account_manager"],
                r["deal_id"],
                r["deal_name"],
                r["customer"],
                PHASE_NAMES.get(r["phase_before"], r["phase_before"]),
                PHASE_NAMES.get(r["phase_after"], r["phase_after"]),
                *months,
                *([wan_text(a) for a in amounts] if text else amounts),
            ]
        )
    return headers, rows


def render_xlsx(data: PackData) -> bytes:
    """The pack as a workbook, one sheet per section, numbers typed."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    styles = {
        "title": book.add_format({"bold": True, "font_size": 16}),
        "header": book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1}),
        "amount": book.add_format({"num_format": "#,##0.00"}),
        "ratio": book.add_format({"num_format": "0.0%"}),
        "multiple": book.add_format({"num_format": '0.00"倍"'}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "text": book.add_format({}),
    }

    _overview_sheet(book, data, styles)
    for name, (headers, rows) in [
        ("赛道", _track_table(data, text=False)),
        ("准确率", _accuracy_table(data, text=False)),
        ("告警", _alert_table(data)),
        ("商品模接单", _commodity_table(data, text=False)),
        ("快照变化", _change_table(data, text=False)),
    ]:
        _table_sheet(book, name, data, headers, rows, styles)

    book.close()
    return buffer.getvalue()


def _overview_sheet(
    book: xlsxwriter.Workbook, data: PackData, styles: dict[str, Any]
) -> None:
    sheet = book.add_worksheet("概览")
    sheet.write_string(0, 0, TITLE, styles["title"])
    sheet.write_string(1, 0, data.subtitle)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 2, 18)

    for col, header in enumerate(
        ["指标（模塑一体合计）", "金额（元）", "金额（万元）"]
    ):
        sheet.write_string(3, col, header, styles["header"])

    m = data.board.integrated_total.metrics
    row = 4
    for key, name in METRICS:
        amount = getattr(m, key)
        sheet.write_string(row, 0, name)
        sheet.write_number(row, 1, float(amount), styles["amount"])
        sheet.write_number(row, 2, float(wan(amount) or 0), styles["amount"])
        row += 1

    sheet.write_string(row, 0, "机会覆盖率")
    if m.coverage is not None:
        sheet.write_number(row, 1, float(m.coverage), styles["multiple"])
    sheet.write_string(row + 1, 0, "覆盖状态")
    sheet.write_string(
        row + 1, 1, COVERAGE_STATUS_NAMES.get(m.coverage_status, m.coverage_status)
    )
    sheet.write_string(row + 2, 0, "剩余月数")
    sheet.write_number(row + 2, 1, data.board.remaining_months)


def _table_sheet(
    book: xlsxwriter.Workbook,
    name: str,
    data: PackData,
    headers: list[str],
    rows: list[list[Any]],
    styles: dict[str, Any],
) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, f"{TITLE} · {name}", styles["title"])
    sheet.write_string(1, 0, data.subtitle)
    for col, header in enumerate(headers):
        sheet.write_string(3, col, header, styles["header"])
        sheet.set_column(col, col, max(10, min(24, len(header) * 2 + 2)))
    sheet.freeze_panes(4, 0)

    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, headers[c], styles)


def _write_cell(
    sheet: Any, row: int, col: int, value: Any, header: str, styles: dict[str, Any]
) -> None:
    # Written by type, never through write(): extract text such as a deal
    # name is neutralised and can never become a formula.
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(row, col, neutralise(value))
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value), styles["amount"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, styles["date"])
    elif isinstance(value, float):
        style = styles["multiple"] if "覆盖率" in header else styles["ratio"]
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_number(row, col, value)
