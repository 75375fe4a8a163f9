"""The dashboard's words in Chinese (default) and English, kept in one catalogue.

Every visible string goes through `t(key)`; enumerations stored in English in the
warehouse (phases, stages, alert kinds, statuses, roles) go through `term()`.
"""

# ruff: noqa: E501 — catalogue sentences are kept whole, one per line.
from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

LANGUAGES = ("zh", "en")

# key: (中文, English). Values may hold {placeholders} filled by t(key, **values).
CATALOGUE: dict[str, tuple[str, str]] = {}


def _add(entries: dict[str, tuple[str, str]]) -> None:
    CATALOGUE.update(entries)


def lang() -> str:
    """The language of this session: "zh" unless the user switched to English."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in LANGUAGES else "zh"


def t(key: str, **values: object) -> str:
    """The catalogue text for `key` in the session's language, placeholders filled."""
    zh, en = CATALOGUE[key]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


def both(key: str, **values: object) -> tuple[str, str]:
    """The catalogue text in Chinese and English, for a ForecastError(zh, en)."""
    zh, en = CATALOGUE[key]
    return zh.format(**values), en.format(**values)


def labels(kind: str, values: Iterable[object]) -> Callable[[object], str]:
    """A format_func naming each value in this run's language.

    The words are looked up now, not when Streamlit calls the function later,
    so that a widget's labels stay those of the run that drew it.
    """
    named = {value: term(kind, value) for value in values}
    return named.__getitem__


def term(kind: str, value: object) -> str:
    """An enumeration value (phase, stage, kind, status, role…) in the user's words."""
    key = f"{kind}.{value}"
    if key not in CATALOGUE:
        return "—" if value is None else str(value)
    return t(key)


_add(
    {
        # Application and navigation
        "app.title": ("销售预测管理", "Sales forecast"),
        "nav.meeting": ("督导与复盘", "Supervision and review"),
        "nav.analysis": ("分析", "Analysis"),
        "nav.governance": ("数据与治理", "Data and governance"),
        "page.overview": ("总览", "Overview"),
        "page.track": ("赛道", "Track"),
        "page.review": ("客户经理复盘", "Manager review"),
        "page.dual_version": ("双版本", "Dual version"),
        "page.alerts": ("告警", "Alerts"),
        "page.accuracy": ("准确率", "Accuracy"),
        "page.commodity": ("商品模", "Commodity"),
        "page.history": ("历史", "History"),
        "page.migrations": ("目标迁移", "Migrations"),
        "page.upload": ("数据上传", "Upload"),
        "page.conversion": ("转化分析", "Conversion"),
        # Sidebar
        "sidebar.language": ("语言 / Language", "语言 / Language"),
        "sidebar.as_of": ("截至日期", "As of"),
        "sidebar.as_of_help": (
            "只计入该日期及之前的数据：预测按提交时间、报价按报价日期、订单按凭证日期、出货按月份。",
            "Only facts dated on or before this day count: forecasts by submission "
            "time, quotes by quote date, orders by document date, shipments by month.",
        ),
        "sidebar.sample": (
            "当前是示例仓库：数据为演示用的示例数据，截至 {as_of}。",
            "This is the sample warehouse: demonstration data as of {as_of}.",
        ),
        "sidebar.warehouse": ("仓库文件：{path}", "Warehouse file: {path}"),
        "sample.building": ("正在生成示例数据…", "Building the sample data…"),
        "warehouse.busy": (
            "仓库文件 {path} 正被另一个程序（例如正在运行的 forecast 命令）占用。请等它结束后刷新本页。",
            "The warehouse file {path} is in use by another program (for example a "
            "running forecast command). Refresh this page once it has finished.",
        ),
        "common.none": ("暂无数据。", "Nothing to show."),
        "common.as_of_caption": (
            "截至 {as_of} · {year} 年 · 剩余 {remaining} 个月 · 金额单位：万元",
            "As of {as_of} · year {year} · {remaining} months remaining · amounts in 10k CNY",
        ),
        "common.all": ("全部", "All"),
        "common.total": ("合计", "Total"),
        "common.select_row": (
            "点选表格中的一行可进入明细。",
            "Select a row to drill in.",
        ),
    }
)

_add(
    {
        # Units, charts
        "unit.wan": ("万元", "10k CNY"),
        "chart.waterfall": (
            "目标承接：目标 → 量产 → 模具开发 → 剩余缺口",
            "Target → mass production → mold development → remaining gap",
        ),
        "chart.coverage": (
            "机会覆盖率（健康线 {threshold} 倍）",
            "Coverage (healthy from {threshold}×)",
        ),
        "chart.accuracy": (
            "三阶段加权预测准确率（按月）",
            "Weighted forecast accuracy by month",
        ),
        "chart.accuracy_line": ("告警线 {threshold}", "Alert line {threshold}"),
        "accuracy.no_snapshot": ("该月无快照", "No snapshot for the month"),
        # The board's metrics
        "metric.target": ("年度目标", "Target"),
        "metric.mp_expected": ("量产预计收入", "Expected mass production"),
        "metric.mold_expected": ("模具开发预计收入", "Expected mold development"),
        "metric.gap": ("剩余缺口", "Remaining gap"),
        "metric.pipeline": ("机会池", "Pipeline"),
        "metric.weighted_pipeline": ("加权机会", "Weighted pipeline"),
        "metric.coverage": ("机会覆盖率", "Coverage"),
        "metric.coverage_status": ("覆盖状态", "Coverage status"),
        "metric.monthly_pace": ("本月需转化", "Monthly pace"),
        "metric.converted_this_month": ("本月已转化", "Converted this month"),
        "metric.weighted_accuracy": ("加权预测准确率", "Weighted forecast accuracy"),
        "metric.latest_accuracy": (
            "最近准确率（{month}）",
            "Latest accuracy ({month})",
        ),
        "metric.no_accuracy": ("最近准确率", "Latest accuracy"),
        "metric.order_target_ytd": (
            "商品模接单目标（年初至今）",
            "Commodity order target YTD",
        ),
        "metric.orders_ytd": ("商品模实际接单（年初至今）", "Commodity orders YTD"),
        "metric.order_attainment_ytd": (
            "商品模接单达成率",
            "Commodity order attainment",
        ),
        "help.target": (
            "年度目标 = {year} 年模塑一体“销售”目标之和（目标表）。",
            "Target = Σ integrated sales targets of {year} (targets extract).",
        ),
        "help.mp_expected": (
            "量产预计收入 = Σ 量产商机的 E。E = 已结月份（{m0} 月之前）的实际出货（模具+产品，APS/ERP/PM）+ 未结月份（{m0}–12 月）当前预测的模具销售+产品销售（有精度版用精度版，否则用滚动版）。",
            "Expected mass production = Σ E over mass-production deals. E = actual "
            "shipments (mold + product, APS/ERP/PM) of the closed months before {m0} "
            "+ the current forecast's mold + product sales for months {m0}–12 (the "
            "precision version if any, else the rolling one).",
        ),
        "help.mold_expected": (
            "模具开发预计收入 = Σ 模具开发商机的 E（含刚 Secured、尚未建项目的商机）；E 的算法同量产。",
            "Expected mold development = Σ E over mold-development deals (including "
            "deals just Secured without a project yet); E as for mass production.",
        ),
        "help.gap": (
            "剩余缺口 = 年度目标 − 量产预计收入 − 模具开发预计收入；为负表示已超额承接。",
            "Remaining gap = target − expected mass production − expected mold "
            "development; negative means the target is more than covered.",
        ),
        "help.weighted_pipeline": (
            "加权机会 = Σ 机会商机在未结月份（{m0}–12 月）的预测销售 × 阶段权重（{weights}）。未加权的机会池为 {pipeline}。",
            "Weighted pipeline = Σ over opportunity deals of forecast sales in the "
            "open months ({m0}–12) × stage weight ({weights}). Unweighted pipeline: "
            "{pipeline}.",
        ),
        "help.coverage": (
            "机会覆盖率 = 加权机会 ÷ 剩余缺口（缺口 > 0 时）。≥ {threshold} 倍为健康，否则告警；缺口 ≤ 0 时不适用，视为健康。",
            "Coverage = weighted pipeline ÷ remaining gap (when the gap > 0). "
            "Healthy at {threshold}× or more, else an alert; with no gap it does not "
            "apply and counts as healthy.",
        ),
        "help.monthly_pace": (
            "本月需转化 = max(剩余缺口, 0) ÷ 剩余月数（含本月共 {remaining} 个月）。",
            "Monthly pace = max(remaining gap, 0) ÷ remaining months ({remaining}, "
            "this month included).",
        ),
        "help.converted_this_month": (
            "本月已转化 = Σ 本月（{m0} 月）Secured 且 Secured 日期不晚于截至日期的商机的 E。下方差额 = 已转化 − 需转化。",
            "Converted this month = Σ E over deals Secured in month {m0} on or before "
            "the as-of date. The difference below = converted − pace.",
        ),
        "help.accuracy": (
            "三阶段加权预测准确率 = 0.2 × 机会 + 0.3 × 模具开发 + 0.5 × 量产。每阶段 = max(0, 1 − Σ|实际 − 预测| ÷ Σ实际)，预测取该月快照中的版本（机会用接单金额，其余用销售），实际取 SAP 订单或出货。低于 {threshold} 告警；没有快照的月份不计算。",
            "Weighted accuracy = 0.2 × opportunity + 0.3 × mold development + 0.5 × "
            "mass production. Each stage = max(0, 1 − Σ|actual − forecast| ÷ "
            "Σ actual), forecasts as frozen in the month's snapshot (order amount "
            "for opportunities, sales otherwise), actuals from SAP orders or "
            "shipments. Below {threshold} raises an alert; a month without a "
            "snapshot has no accuracy.",
        ),
        "help.order_attainment": (
            "接单达成率 = 截至日期前的 SAP 实际接单 ÷ 1–{m0} 月的接单目标（商品模）。",
            "Order attainment = SAP orders dated up to the as-of date ÷ order "
            "targets of months 1–{m0} (commodity).",
        ),
        # Terms stored in English in the warehouse
        "status.healthy": ("健康", "Healthy"),
        "status.alert": ("告警", "Alert"),
        "status.not_applicable": ("不适用", "Not applicable"),
        "phase.opportunity": ("机会", "Opportunity"),
        "phase.mold_development": ("模具开发", "Mold development"),
        "phase.mass_production": ("量产", "Mass production"),
        "phase.lost": ("已丢单", "Lost"),
        "stage.L Potential": ("L Potential", "L Potential"),
        "stage.M Potential": ("M Potential", "M Potential"),
        "stage.H Potential": ("H Potential", "H Potential"),
        "stage.Secured": ("Secured", "Secured"),
        "stage.Lost": ("Lost（丢单）", "Lost"),
        "version.rolling": ("滚动预测（主观版）", "Rolling (subjective)"),
        "version.precision": ("精度版（H Potential 版）", "Precision (H Potential)"),
        "role.account_manager": ("客户经理", "Account manager"),
        "role.track_director": ("赛道总监", "Track director"),
        "role.ceo": ("CEO", "CEO"),
        "role.analyst": ("经营分析", "Analyst"),
        "role.admin": ("系统管理员", "Admin"),
        "role.operator": ("本地管理员", "Local operator"),
        "business_line.integrated": ("模塑一体", "Integrated"),
        "business_line.commodity": ("商品模", "Commodity"),
        "direction.shortfall": ("缺口（精度版更低）", "Shortfall (precision lower)"),
        "direction.upside": ("超预期（精度版更高）", "Upside (precision higher)"),
        "direction.reshaped": ("金额不变、分布调整", "Reshaped (same totals)"),
        "kind.version_diff": ("双版本差异", "Version difference"),
        "kind.no_h_potential_by_25th": (
            "25号未见 H Potential",
            "No H Potential by the 25th",
        ),
        "kind.low_coverage": ("机会覆盖不足", "Low coverage"),
        "kind.sales_shortfall": ("销售目标偏差", "Sales shortfall"),
        "kind.order_shortfall": ("接单目标偏差", "Order shortfall"),
        "kind.low_accuracy": ("预测准确率偏低", "Low accuracy"),
        "alert_status.open": ("待处理", "Open"),
        "alert_status.handled": ("已处理", "Handled"),
        "alert_status.escalated": ("已上升至 CEO", "Escalated to the CEO"),
        "alert_status.overdue": ("已超期", "Overdue"),
        "route.track_director": ("赛道总监", "Track director"),
        "route.business_analysis_pdca": ("经营分析 PDCA", "Business-analysis PDCA"),
        "migration_status.requested": ("待审批", "Requested"),
        "migration_status.approved": ("已批准，待执行", "Approved"),
        "migration_status.rejected": ("已驳回", "Rejected"),
        "migration_status.executed": ("已执行", "Executed"),
        "change.new": ("新增", "New"),
        "change.won": ("赢单", "Won"),
        "change.lost": ("丢单", "Lost"),
        "change.pulled_in": ("提前", "Pulled in"),
        "change.pushed_out": ("推迟", "Pushed out"),
        "change.grown": ("金额增加", "Grown"),
        "change.shrunk": ("金额减少", "Shrunk"),
        "outcome.won": ("赢单", "Won"),
        "outcome.lost": ("丢单", "Lost"),
        "outcome.open": ("进行中", "Open"),
        "review_kind.note": ("意见", "Note"),
        "review_kind.task": ("任务", "Task"),
        "load_outcome.loaded": ("已导入", "Loaded"),
        "load_outcome.rejected": ("已拒绝", "Rejected"),
        "load_outcome.unchanged": ("重复文件，未更改", "Unchanged (already loaded)"),
        # Common column names
        "col.track": ("赛道", "Track"),
        "col.account_manager": ("客户经理", "Account manager"),
        "col.profit_center": ("利润中心", "Profit center"),
        "col.customer": ("客户", "Customer"),
        "col.deal_id": ("商机编号", "Deal"),
        "col.deal_name": ("商机名称", "Deal name"),
        "col.stage": ("商机阶段", "Stage"),
        "col.phase": ("阶段", "Phase"),
        "col.month": ("月份", "Month"),
        "col.deals": ("商机数", "Deals"),
        "col.mold_sets": ("模具套数", "Mold sets"),
        "col.mold_sales": ("模具销售", "Mold sales"),
        "col.product_sales": ("产品销售", "Product sales"),
        "col.order_amount": ("接单金额", "Order amount"),
        "col.sales": ("销售金额", "Sales"),
        "col.expected": ("预计收入 E", "Expected E"),
        "col.open_alerts": ("待处理告警", "Open alerts"),
        "col.overdue_alerts": ("超期告警", "Overdue alerts"),
        "col.due_this_month": ("本月预计接单", "Booking this month"),
        "col.has_h_quote": ("已有 H Potential 报价", "Has an H Potential quote"),
        "col.gap_share": ("对缺口的覆盖", "Share of the gap covered"),
        "col.amount": ("金额", "Amount"),
        "col.difference": ("差额", "Difference"),
        "col.count": ("数量", "Count"),
        "col.status": ("状态", "Status"),
        "col.quarter": ("季度", "Quarter"),
        "col.secured_on": ("Secured 日期", "Secured on"),
        "col.effective_phase": ("阶段", "Phase"),
    }
)

_add(
    {
        "overview.title": (
            "总览 · 销售督导例会",
            "Overview · monthly supervision meeting",
        ),
        "overview.no_track_gap": (
            "没有赛道存在剩余缺口，各赛道机会覆盖率均不适用。",
            "No track has a remaining gap, so no track's coverage applies.",
        ),
        "overview.no_gap": (
            "剩余缺口 ≤ 0：年度目标已由量产和模具开发承接，机会覆盖率不适用，状态为健康。",
            "The remaining gap is zero or less: mass production and mold development "
            "cover the target, so coverage does not apply and the status is healthy.",
        ),
        "overview.tracks": ("各赛道", "Tracks"),
        "overview.tracks_hint": (
            "点选一行进入该赛道：客户经理、商机直至单个商机的明细。金额单位：万元。",
            "Select a row to drill into the track: its managers, their deals, each "
            "deal. Amounts in 10k CNY.",
        ),
        "overview.accuracy": ("预测准确率", "Forecast accuracy"),
        "overview.alerts": ("待处理告警（按赛道）", "Open alerts by track"),
        "overview.whole": ("整体", "Whole group"),
        "overview.to_alerts": ("前往告警页处理 →", "Handle them on the alerts page →"),
        "overview.dimensions": (
            "三阶段呈现维度（全年）",
            "Three display dimensions per phase (year)",
        ),
        "overview.dimensions_hint": (
            "模具套数取当前预测；模具销售和产品销售的口径同预计收入 E（已结月份为实际，未结月份为预测）。",
            "Mold sets from the current forecast; mold and product sales as in the "
            "expected revenue E (actuals for closed months, forecast for open ones).",
        ),
        "overview.commodity": ("商品模接单达成", "Commodity order attainment"),
        "overview.to_commodity": ("商品模明细 →", "Commodity details →"),
    }
)

_add(
    {
        "track.none": (
            "当前查看身份下没有模塑一体赛道。",
            "There is no integrated track in the current view.",
        ),
        "track.managers": ("本赛道的客户经理", "Account managers of the track"),
        "track.gap_share_help": (
            "销售目标按赛道设定，客户经理没有单独的缺口；此处为该客户经理的加权机会 ÷ 赛道剩余缺口，各客户经理之和即赛道的机会覆盖率。赛道无缺口时为空。",
            "Sales targets are set per track, so a manager has no gap of their own: "
            "this is the manager's weighted pipeline ÷ the track's remaining gap; "
            "the managers' shares add up to the track's coverage. Empty when the "
            "track has no gap.",
        ),
        "track.without_h_quote": (
            "其中无 H Potential 报价",
            "Of which without H Potential quote",
        ),
        "track.pick_manager": (
            "选择一位客户经理查看其商机",
            "Pick a manager to see their deals",
        ),
        "track.deals_of": ("{manager} 的商机", "Deals of {manager}"),
        "track.open_forecast": ("未结月份预测销售", "Forecast sales, open months"),
        "track.order_m0": ("本月预测接单", "Order forecast this month"),
        "track.pick_deal": ("选择一个商机查看明细", "Pick a deal to see its detail"),
        "track.deal_detail": ("商机明细：{deal}", "Deal detail: {deal}"),
        "track.project": ("项目编号", "Project"),
        "track.planned_mp": ("计划量产日期", "Planned mass production"),
        "track.field": ("项目", "Field"),
        "track.value": ("内容", "Value"),
        "track.versions_chart": (
            "两个预测版本的月度销售（当前版本）",
            "Monthly sales of both forecast versions (current)",
        ),
        "track.rolling_order": ("滚动版接单", "Rolling orders"),
        "track.precision_order": ("精度版接单", "Precision orders"),
        "track.rolling_sets": ("滚动版套数", "Rolling sets"),
        "track.precision_sets": ("精度版套数", "Precision sets"),
        "track.rolling_sales": ("滚动版销售", "Rolling sales"),
        "track.precision_sales": ("精度版销售", "Precision sales"),
        "track.quotes": ("报价", "Quotes"),
        "track.quote_id": ("报价编号", "Quote"),
        "track.quoted_on": ("报价日期", "Quoted on"),
        "track.actuals": ("实际出货与接单", "Actual shipments and orders"),
        "track.mold_shipped": ("模具出货", "Mold shipped"),
        "track.product_shipped": ("产品出货", "Product shipped"),
        "track.orders": ("SAP 接单", "SAP orders"),
        "track.trace": (
            "全年追溯：每次预测修订、快照、基准与迁移",
            "Year-end trace: every revision, snapshot, baseline and migration",
        ),
        "track.at": ("时间", "When"),
        "track.event": ("事件", "Event"),
        "track.summary": ("内容", "What"),
        "trace.forecast": ("预测提交", "Forecast"),
        "trace.snapshot": ("快照", "Snapshot"),
        "trace.migration": ("目标迁移", "Migration"),
        "trace.baseline": ("基准", "Baseline"),
    }
)

_add(
    {
        "alerts.caption": (
            "告警按截至日期 {as_of} 判断是否超期：超过处理期限（发出后 2 天）仍未处理即为超期。",
            "Overdue is judged as of {as_of}: still open past the handling window "
            "(2 days after it was raised).",
        ),
        "alerts.escalations": (
            "上升至 CEO 的告警（{count}）",
            "Escalated to the CEO ({count})",
        ),
        "alerts.list": ("告警列表", "Alerts"),
        "alerts.id": ("编号", "No."),
        "alerts.kind": ("告警类型", "Kind"),
        "alerts.subject": ("对象", "Subject"),
        "alerts.period": ("所属期间", "Period"),
        "alerts.direction": ("方向", "Direction"),
        "alerts.route": ("路由", "Routed to"),
        "alerts.raised_on": ("发出日期", "Raised on"),
        "alerts.due_on": ("处理期限", "Due on"),
        "alerts.note": ("结论 / 上升说明", "Conclusion / escalation note"),
        "alerts.pick": (
            "点选一条告警以处理或上升。",
            "Select an alert to handle or escalate it.",
        ),
        "alerts.act": ("处理告警 {id}：{kind}", "Act on alert {id}: {kind}"),
        "alerts.figures": ("触发告警的数据", "The figures that raised it"),
        "alerts.already_handled": (
            "此告警已处理，结论：{conclusion}",
            "This alert is handled: {conclusion}",
        ),
        "alerts.conclusion": ("处理结论", "Conclusion"),
        "alerts.conclusion_hint": (
            "例如：已与客户经理确认，12 月补单，预测已调整。",
            "For example: confirmed with the manager, order moves to December, forecast updated.",
        ),
        "alerts.handle": ("记录结论并关闭", "Record the conclusion and close"),
        "alerts.handled": ("告警 {id} 已处理。", "Alert {id} is handled."),
        "alerts.escalation_note": ("上升至 CEO 的原因", "Why escalate to the CEO"),
        "alerts.escalation_hint": (
            "例如：客户项目可能整体推迟，需要高层介入。",
            "For example: the customer may postpone the whole project; needs the CEO.",
        ),
        "alerts.escalate": ("上升至 CEO", "Escalate to the CEO"),
        "alerts.escalated": (
            "告警 {id} 已上升至 CEO。",
            "Alert {id} is escalated to the CEO.",
        ),
    }
)

_add(
    {
        "review.caption": (
            "赛道总监逐一核查客户经理：机会推进节奏、双版本差异跟进、上月告警处理、商品模接单达成，并记录意见与任务（下月复盘时显示）。截至 {as_of}。",
            "The director reviews each manager: pace of opportunities, follow-up of "
            "version differences, last month's alerts, commodity order attainment; "
            "notes and tasks recorded here come back at next month's review. As of "
            "{as_of}.",
        ),
        "review.booking": (
            "本月预计接单的机会及 H Potential 报价",
            "Opportunities booking this month and their H Potential quotes",
        ),
        "review.differences": (
            "双版本差异及跟进情况（本年）",
            "Version differences this year and their follow-up",
        ),
        "review.precision_at": ("精度版提交时间", "Precision submitted"),
        "review.sales_difference": (
            "销售差额（精度 − 滚动）",
            "Sales difference (precision − rolling)",
        ),
        "review.order_difference": (
            "接单差额（精度 − 滚动）",
            "Order difference (precision − rolling)",
        ),
        "review.followed_up": ("告警跟进", "Alert follow-up"),
        "review.by_quarter": (
            "双版本差异累计（按季度）",
            "Running version difference by quarter",
        ),
        "review.submissions": ("有差异的提交数", "Submissions that differ"),
        "review.last_alerts": (
            "上月（{month}）告警及处理结果",
            "Last month's ({month}) alerts and how they were handled",
        ),
        "review.commodity": (
            "商品模接单达成（年初至今）",
            "Commodity order attainment (year to date)",
        ),
        "review.no_commodity": (
            "该客户经理没有商品模接单目标。",
            "This manager has no commodity order target.",
        ),
        "review.notes": ("复盘意见与任务", "Review notes and tasks"),
        "review.month": ("复盘月份", "Review month"),
        "review.kind": ("类型", "Type"),
        "review.body": ("内容", "Text"),
        "review.body_hint": (
            "例如：12 月前推动 A 项目进入 H Potential 并提交精度版。",
            "For example: get project A to H Potential and submit the precision version before December.",
        ),
        "review.due_on": ("完成期限", "Due on"),
        "review.due_help": ("仅对任务有效。", "For tasks only."),
        "review.written_by": ("记录人", "Written by"),
        "review.save": ("保存复盘记录", "Save the review entry"),
        "review.saved": (
            "已为 {manager} 保存复盘记录。",
            "Review entry saved for {manager}.",
        ),
        "review.only_director": (
            "只有该赛道的赛道总监或 CEO 可以记录复盘意见。",
            "Only the track's director or the CEO can record review notes.",
        ),
    }
)

_add(
    {
        "dual.caption": (
            "{year} 年每次精度版（H Potential 版）提交与其提交时当前的滚动预测相比：任何月份或字段不同即有差异（与双版本差异告警口径一致）。方向先看销售合计，再看接单金额。金额单位：万元。",
            "Each precision (H Potential) submission of {year} against the rolling forecast "
            "current when it was made: any month or field that differs counts, as "
            "the version-difference alert reads it. Direction from total sales, "
            "then order amount. Amounts in 10k CNY.",
        ),
        "dual.latest_only": (
            "每个商机只看最近一次精度版",
            "Only each deal's latest precision submission",
        ),
        "dual.net": ("销售差额合计", "Net sales difference"),
        "dual.net_help": (
            "Σ（精度版销售 − 滚动版销售），覆盖两个版本的全部月份。",
            "Σ (precision − rolling) sales over every month of the two submissions.",
        ),
        "dual.rolling_at": ("对应滚动版提交时间", "Rolling submitted"),
        "dual.months_changed": ("有差异的月份", "Months that differ"),
        "dual.pick": (
            "点选一行查看两个版本的逐月对比。",
            "Select a row to see both versions month by month.",
        ),
        "dual.side_by_side": (
            "{deal}：两个版本逐月对比",
            "{deal}: both versions month by month",
        ),
        "dual.chart": (
            "滚动版与精度版的月度销售",
            "Monthly sales, rolling against precision",
        ),
    }
)

_add(
    {
        "accuracy.caption": (
            "每个已结月份按该月快照中的预测计算；没有快照的月份显示“—”（不是 0，也不是 100%）。低于 {threshold} 触发告警，路由至经营分析 PDCA。",
            "Each closed month is scored on the forecasts frozen in its snapshot; a "
            "month without a snapshot shows “—” (never 0 or 100%). Below "
            "{threshold} raises an alert routed to the business-analysis PDCA.",
        ),
        "accuracy.none": (
            "本年还没有已结月份。",
            "No month of the year is closed yet.",
        ),
        "accuracy.grid": (
            "加权准确率：月份 × 赛道",
            "Weighted accuracy: month × track",
        ),
        "accuracy.weight": ("权重", "Weight"),
        "accuracy.accuracy": ("准确率", "Accuracy"),
        "accuracy.bias": ("偏差", "Bias"),
        "accuracy.bias_help": (
            "偏差 = Σ(预测 − 实际) ÷ Σ实际；为正表示预测偏高。实际为 0 时为空。",
            "Bias = Σ (forecast − actual) ÷ Σ actual; positive means forecasts ran "
            "high. Empty when actuals are 0.",
        ),
        "accuracy.forecast": ("预测", "Forecast"),
        "accuracy.actual": ("实际", "Actual"),
    }
)

_add(
    {
        "commodity.caption": (
            "商品模：实际接单（SAP）对比固定接单目标；在制品销售计划由运营主导，客户经理只预测机会。截至 {as_of}，金额单位：万元。",
            "Commodity molds: SAP orders against fixed order targets; the WIP sales "
            "plan is led by operations, managers forecast only opportunities. As of "
            "{as_of}; amounts in 10k CNY.",
        ),
        "commodity.monthly_chart": (
            "{name}：每月接单目标与实际接单",
            "{name}: monthly order target and orders",
        ),
        "commodity.target": ("接单目标", "Order target"),
        "commodity.orders": ("实际接单", "Orders"),
        "commodity.wip": (
            "在制品销售计划 vs 实际出货",
            "WIP sales plan against actual shipments",
        ),
        "commodity.wip_chart": (
            "在制品销售计划与实际出货（按月）",
            "WIP sales plan and actual shipments by month",
        ),
        "commodity.planned": ("计划销售", "Planned sales"),
        "commodity.shipped": ("实际出货", "Actual shipments"),
        "commodity.pipeline": (
            "商品模机会（按阶段）",
            "Commodity opportunities by stage",
        ),
        "commodity.pipeline_amount": (
            "未结月份预测接单",
            "Order forecast, open months",
        ),
    }
)

_add(
    {
        "history.snapshots": ("月度快照", "Monthly snapshots"),
        "history.baseline": ("基准 vs 当前", "Baseline against today"),
        "history.changes": ("快照间变化", "Changes between snapshots"),
        "history.trace": ("商机追溯", "Deal trace"),
        "history.label": ("快照", "Snapshot"),
        "history.taken_at": ("生成时间", "Taken at"),
        "history.taken_by": ("生成人", "Taken by"),
        "history.forecast_rows": ("预测行数", "Forecast rows"),
        "history.verified": ("哈希链校验", "Hash chain"),
        "verify.healthy": ("通过", "Verified"),
        "verify.alert": ("损坏", "Broken"),
        "history.baseline_caption": (
            "{year} 年基准（年初承接，含已执行的目标迁移后的最新版本）与当前预计收入 E 逐商机对比；模具开发与量产商机的基准已锁定。金额单位：万元。",
            "The {year} baseline (the year-start commitment, latest version after "
            "executed migrations) against today's expected revenue E, deal by deal; "
            "baselines of mold-development and mass-production deals are locked. "
            "Amounts in 10k CNY.",
        ),
        "history.phase_at_baseline": ("基准时阶段", "Phase at baseline"),
        "history.phase_now": ("当前阶段", "Phase now"),
        "history.locked": ("已锁定", "Locked"),
        "history.version": ("基准版本", "Version"),
        "history.order_month": ("基准接单月份", "Baseline order month"),
        "history.order_amount": ("基准接单金额", "Baseline order amount"),
        "history.baseline_sales": ("基准全年销售", "Baseline sales for the year"),
        "history.need_two": (
            "至少需要两个快照才能比较。",
            "Two snapshots are needed to compare.",
        ),
        "history.from": ("较早的快照", "Earlier snapshot"),
        "history.to": ("较晚的快照", "Later snapshot"),
        "history.changes_caption": (
            "每个商机只计一种变化，依次判断：新增、赢单（机会 → 模具开发/量产）、丢单、提前或推迟（预计接单月份）、金额增加或减少（较晚快照所在年度的预测销售）。金额为两次快照之间的差额（万元）。",
            "Each deal counts once, tested in this order: new, won (opportunity → "
            "mold development or mass production), lost, pulled in or pushed out "
            "(expected order month), grown or shrunk (forecast sales in the later "
            "snapshot's year). Amounts are the difference between the two "
            "snapshots (10k CNY).",
        ),
        "history.change": ("变化", "Change"),
        "history.difference": ("预测销售差额", "Forecast sales difference"),
        "history.earlier_month": ("原接单月份", "Earlier order month"),
        "history.later_month": ("新接单月份", "Later order month"),
        "history.earlier_value": ("原预测销售", "Earlier forecast sales"),
        "history.later_value": ("新预测销售", "Later forecast sales"),
    }
)

_add(
    {
        "migrations.caption": (
            "机会商机的基准可迁移到新的机会商机：客户经理申请，该赛道总监批准或驳回，系统管理员在批准后 2 日内执行。模具开发与量产商机的基准已锁定，任何迁移都会被拒绝。",
            "An opportunity's baseline may move to a new opportunity: the account "
            "manager asks, the track's director approves or rejects, an admin "
            "executes within 2 days of approval. Baselines of mold-development and "
            "mass-production deals are locked; any migration touching them is refused.",
        ),
        "migrations.from": ("原商机", "From deal"),
        "migrations.to": ("新商机", "To deal"),
        "migrations.amount": ("迁移金额", "Amount moved"),
        "migrations.amount_yuan": ("迁移金额（元）", "Amount to move (CNY)"),
        "migrations.amount_help": (
            "留空表示迁移原商机的全部基准销售。",
            "Leave blank to move the old deal's whole baseline.",
        ),
        "migrations.bad_amount": (
            "迁移金额“{value}”不是有效金额。请写成 1234567.50 或 1,234,567.50，或留空表示全部迁移。",
            "The amount '{value}' is not an amount. Write it as 1234567.50 or "
            "1,234,567.50, or leave it blank to move everything.",
        ),
        "migrations.reason": ("原因", "Reason"),
        "migrations.requested_by": ("申请人", "Requested by"),
        "migrations.requested_at": ("申请时间", "Requested at"),
        "migrations.decided_by": ("审批人", "Decided by"),
        "migrations.note": ("审批意见", "Decision note"),
        "migrations.note_help": ("驳回时必须填写理由。", "Required when rejecting."),
        "migrations.due_on": ("执行期限", "Due on"),
        "migrations.executed_at": ("执行时间", "Executed at"),
        "migrations.request": ("申请目标迁移", "Ask for a migration"),
        "migrations.submit": ("提交申请", "Submit the request"),
        "migrations.requested": (
            "迁移申请 {id} 已提交，等待赛道总监审批。",
            "Migration request {id} submitted for the director's approval.",
        ),
        "migrations.decide": (
            "待审批的申请（{count}）",
            "Requests waiting for a decision ({count})",
        ),
        "migrations.which": ("选择申请", "Request"),
        "migrations.approve": ("批准", "Approve"),
        "migrations.reject": ("驳回", "Reject"),
        "migrations.approved": (
            "迁移申请 {id} 已批准，等待系统管理员执行。",
            "Migration {id} approved; an admin will execute it.",
        ),
        "migrations.rejected": ("迁移申请 {id} 已驳回。", "Migration {id} rejected."),
        "migrations.execute": (
            "已批准、待执行（{count}）",
            "Approved, waiting for execution ({count})",
        ),
        "migrations.run": (
            "执行迁移（写入新的基准版本）",
            "Execute (write new baseline versions)",
        ),
        "migrations.executed": (
            "迁移 {id} 已执行，新的基准版本已写入，旧版本保留。",
            "Migration {id} executed: new baseline versions written, the old ones kept.",
        ),
        "migrations.view_only": (
            "当前查看身份（{role}）只能查看迁移记录。",
            "The current viewer ({role}) can only view migrations.",
        ),
        "migration_status.overdue": ("已批准，执行超期", "Approved, execution overdue"),
    }
)

_add(
    {
        "upload.caption": (
            "选择抽取类型并上传文件（CSV：UTF-8 或 GB18030/GBK；或 XLSX）。系统先完整校验并列出全部问题，确认无误后再点“导入”；文件要么全部导入，要么什么都不写入。",
            "Pick the extract kind and upload the file (CSV in UTF-8 or GB18030/GBK, "
            "or XLSX). Every problem is listed before anything is written; load it "
            "once the check passes. A file is loaded all or nothing.",
        ),
        "upload.kind": ("抽取类型", "Extract kind"),
        "upload.file": ("上传文件", "File"),
        "upload.validating": (
            "正在读取并校验 {name} …",
            "Reading and checking {name} …",
        ),
        "upload.validated": ("已校验 {rows} 行", "{rows} rows checked"),
        "upload.already": (
            "这个文件的内容已在第 {load_id} 次导入中导入过；再次导入不会有任何更改。",
            "This file's content was loaded before (load {load_id}); loading it "
            "again changes nothing.",
        ),
        "upload.ok": (
            "校验通过：共 {rows} 行。导入后将：{counts}。",
            "The check passed: {rows} rows. Loading will: {counts}.",
        ),
        "upload.refused": (
            "发现 {count} 个问题，文件不能导入，也没有写入任何数据。请按下表逐条更正后重新上传。",
            "{count} problems found: the file cannot be loaded and nothing was "
            "written. Correct each one below and upload it again.",
        ),
        "upload.missing_column": (
            "缺少必需的列：请在表头加上该列（中文名或英文名均可）。",
            "A required column is missing: add it to the header (Chinese or English name).",
        ),
        "upload.line": ("行号", "Line"),
        "upload.column": ("列", "Column"),
        "upload.value": ("值", "Value"),
        "upload.reason": ("问题与处理办法", "Problem and what to do"),
        "upload.preview": (
            "预览（前 50 行，按入库后的值显示）",
            "Preview (first 50 rows, as they would be stored)",
        ),
        "upload.load": ("导入", "Load"),
        "upload.loading": ("正在导入 {name} …", "Loading {name} …"),
        "upload.failed": (
            "导入被拒绝，未写入任何数据",
            "Load refused; nothing was written",
        ),
        "upload.done": ("导入完成", "Loaded"),
        "upload.log": ("导入日志", "Load log"),
        "upload.load_id": ("导入编号", "Load"),
        "upload.file_name": ("文件名", "File"),
        "upload.outcome": ("结果", "Outcome"),
        "upload.rows_read": ("读取行数", "Rows read"),
        "upload.rows_loaded": ("写入行数", "Rows written"),
        "upload.problems": ("问题数", "Problems"),
        "upload.user": ("导入人", "By"),
        "upload.finished_at": ("完成时间", "Finished at"),
    }
)

_add(
    {
        "conversion.caption": (
            "截至 {as_of} 已创建的商机：赢单 = 已进入模具开发或量产（含 Secured），丢单 = Lost，其余为进行中。赢单率 = 赢单 ÷（赢单 + 丢单）。金额单位：万元。",
            "Deals created by {as_of}: won = reached mold development or mass "
            "production (Secured included), lost = Lost, the rest open. Win rate "
            "= won ÷ (won + lost). Amounts in 10k CNY.",
        ),
        "conversion.line": ("业务类型", "Business line"),
        "conversion.by": ("分析维度", "Break down by"),
        "conversion.track": ("赛道", "Track"),
        "conversion.customer": ("客户", "Customer"),
        "conversion.created_quarter": ("创建季度", "Quarter created"),
        "conversion.deals": ("商机数", "Deals"),
        "conversion.win_rate": ("赢单率", "Win rate"),
        "conversion.win_rate_help": (
            "赢单 ÷（赢单 + 丢单）；进行中的商机不计入。",
            "Won ÷ (won + lost); open deals do not count.",
        ),
        "conversion.won_orders": ("赢单预测接单金额", "Won: forecast order amount"),
        "conversion.won_orders_help": (
            "赢单商机当前预测的接单金额合计（全部月份）。",
            "Σ the current forecast's order amount (all months) of won deals.",
        ),
        "conversion.order_amount": ("全部商机预测接单", "Forecast orders, all deals"),
        "conversion.won_mold": ("赢单模具销售", "Won: mold sales"),
        "conversion.won_product": ("赢单产品销售", "Won: product sales"),
        "conversion.actual_orders": ("SAP 实际接单", "SAP orders"),
        "conversion.chart": (
            "赢单金额构成（按{by}，前 15）",
            "What was won, by {by} (top 15)",
        ),
        "conversion.product_note": (
            "说明：抽取数据中没有产品维度，因此“产品”以模具销售与产品销售的拆分来呈现。",
            "Note: the extracts carry no product dimension, so the product view is "
            "the split between mold sales and product sales.",
        ),
    }
)

_add(
    {
        "chart.coverage_by_track": (
            "有缺口赛道的机会覆盖率（健康线 {threshold} 倍）",
            "Coverage of tracks with a gap (healthy from {threshold}×)",
        ),
    }
)

_add(
    {
        "migrations.nothing_to_move": (
            "目前没有可迁移的基准：只有年初基准时是机会、现在仍是机会且有基准销售的商机才能迁移。",
            "No baseline can move now: only a deal that was an opportunity at the "
            "baseline, still is one, and carries baseline sales can move.",
        ),
    }
)

_add(
    {
        "history.verify": ("校验哈希链", "Verify the hash chain"),
        "history.verifying": (
            "正在重新计算每个快照的 SHA-256…",
            "Recomputing every snapshot's SHA-256…",
        ),
        "history.verify_hint": (
            "快照共冻结 {rows} 行预测，重新校验哈希链需要一些时间：需要时请点“校验哈希链”。",
            "The snapshots freeze {rows} forecast rows, so verifying the chain takes "
            "a while: press “Verify the hash chain” when you need it.",
        ),
    }
)

_add(
    {
        "history.deal_hint": (
            "输入商机编号，例如 OPP-2026-0001",
            "Type a deal number, e.g. OPP-2026-0001",
        ),
    }
)

_add(
    {
        # Sign-in (ui/auth.py, pages/sign_in.py)
        "page.sign_in": ("登录", "Sign in"),
        "auth.caption": (
            "请用您的账户登录。登录后看到的数据与可做的操作取决于您的角色：客户经理看自己的商机，赛道总监看所负责的赛道，CEO 看全部。",
            "Sign in with your account. What you see and may do follows your "
            "role: account managers their own deals, track directors their "
            "tracks, the CEO everything.",
        ),
        "auth.name": ("用户名", "User name"),
        "auth.password": ("密码", "Password"),
        "auth.role": ("角色", "Role"),
        "auth.submit": ("登录", "Sign in"),
        "auth.forgot": (
            "忘记密码或账户被锁定？请联系系统管理员重设密码。",
            "Forgot your password, or locked out? Ask an admin to set a new one.",
        ),
        "auth.sso": ("使用单点登录（企业账户）", "Sign in with single sign-on"),
        "auth.sso_switch": (
            "退出单点登录账户，换一个账户",
            "Sign out of the provider to use another account",
        ),
        "auth.sso_unavailable": (
            "单点登录暂时无法使用：服务器的单点登录配置不完整或缺少组件。请改用用户名和密码登录，或请系统管理员检查 .streamlit/secrets.toml 中的 [auth] 配置及 streamlit[auth] 的安装。",
            "Single sign-on cannot start: the server's configuration is incomplete "
            "or a component is missing. Sign in with your name and password, or ask "
            "an admin to check [auth] in .streamlit/secrets.toml and that "
            "streamlit[auth] is installed.",
        ),
        "auth.expired": (
            "您已超过 {minutes} 分钟没有操作，已自动退出。请重新登录。",
            "You were signed out after {minutes} minutes without activity. Please "
            "sign in again.",
        ),
        "auth.demo": ("示例账户", "Demo accounts"),
        "auth.demo_caption": (
            "这是示例仓库：下列每个示例用户的密码都是 {password}。正式仓库没有任何预置账户。",
            "This is the sample warehouse: every sample user below has the password "
            "{password}. A real warehouse has no preset accounts.",
        ),
        "auth.scope": ("可见范围", "Sees"),
        "auth.scope_all": ("全部", "everything"),
        "auth.scope_own": ("本人的商机", "own deals"),
        "auth.signed_in_as": ("已登录：{name} · {role}", "Signed in: {name} · {role}"),
        "auth.tracks": ("负责赛道：{tracks}", "Tracks: {tracks}"),
        "auth.sign_out": ("退出登录", "Sign out"),
        "auth.sign_in_first": (
            "请先登录：打开首页并用您的账户登录后再访问本页面。",
            "Please sign in first: open the home page, sign in, then come back to "
            "this page.",
        ),
    }
)

_add(
    {
        # Hand-offs on the overview: meeting pack and APS/PMC export
        "overview.pack": ("例会材料", "Meeting pack"),
        "overview.pack_what": ("例会材料", "meeting pack"),
        "overview.pack_caption": (
            "销售督导例会月度材料：取截至日期当天或之前最近一次快照的数据，告警部分列出截至日期仍待处理、超期或已上升的告警；范围与您的权限一致。PDF 需要几秒钟生成；生成后点下载。",
            "The monthly supervision meeting pack: figures of the latest snapshot "
            "taken on or before the as-of date; the alerts section lists what is "
            "still open, overdue or escalated on that date; the scope is yours. "
            "The PDF takes a few seconds to build; download it once built.",
        ),
        "overview.aps": ("APS/PMC 交接文件", "APS/PMC hand-off"),
        "overview.aps_what": ("交接文件", "hand-off"),
        "overview.aps_caption": (
            "模塑一体：各商机截至日期的最新滚动版与精度版预测（按月）；商品模：只含 H Potential 及以后阶段的报价。CSV 为带 BOM 的 UTF-8，Excel 可直接打开中文；XLSX 每条业务线一个工作表。",
            "Integrated: each deal's latest rolling and precision forecasts on the "
            "as-of date, by month; commodity: only quotes at H Potential or later. "
            "The CSV is UTF-8 with a BOM, so Excel opens the Chinese text; the XLSX "
            "has one sheet per business line.",
        ),
        "handoff.build": ("生成{what}（{format}）", "Build the {what} ({format})"),
        "handoff.building": (
            "正在生成{what}（{format}）…",
            "Building the {what} ({format})…",
        ),
        "handoff.download": (
            "下载{what}（{format}）",
            "Download the {what} ({format})",
        ),
        "handoff.built_at": (
            "生成于 {time}；数据有更新时请重新生成。",
            "Built at {time}; build it again after the data changes.",
        ),
        # Alert delivery (outbox) and the daily scheduled run
        "alerts.delivery": ("通知发送状态", "Delivery status"),
        "alerts.delivery_caption": (
            "告警通知经发件箱发送，失败会自动重试、不会丢失：待发送 {queued} 条，发送失败待重试 {retrying} 条，已送达 {delivered} 条。下表列出最近 {rows} 条。",
            "Alert messages leave through the outbox, which retries and never "
            "drops one: {queued} queued, {retrying} failed and waiting to retry, "
            "{delivered} delivered. The table lists the latest {rows}.",
        ),
        "alerts.recipient": ("收件人", "Recipient"),
        "alerts.channel": ("渠道", "Channel"),
        "alerts.attempts": ("尝试次数", "Attempts"),
        "alerts.last_error": ("最近一次错误", "Last error"),
        "alerts.next_attempt_at": ("下次重试", "Next attempt"),
        "alerts.last_attempt_at": ("最近尝试", "Last attempt"),
        "alerts.pdca_mailbox": ("经营分析 PDCA 邮箱", "Business-analysis PDCA mailbox"),
        "alerts.track_chat": ("赛道“{track}”群聊", "Group chat of track {track}"),
        "channel.email": ("邮件", "E-mail"),
        "channel.webhook": ("群机器人", "Group chat"),
        "delivery_status.queued": ("待发送", "Queued"),
        "delivery_status.retrying": ("发送失败，等待重试", "Failed, will retry"),
        "delivery_status.delivered": ("已送达", "Delivered"),
        "alerts.schedule": ("每日计划任务", "Daily scheduled work"),
        "alerts.schedule_caption": (
            "按 {as_of} 运行：每月 1–5 日生成当月快照（如缺），运行告警检查，记录上月三阶段加权预测准确率，然后发送通知。每一步只做一次，重复运行不会重复。通常由定时任务每天运行。",
            "Runs for {as_of}: the month's snapshot on days 1–5 (if missing), the "
            "alert check, last month's weighted accuracy in the audit log, then "
            "notifications. Each step is done once, so running again repeats "
            "nothing. Usually a daily timer runs it.",
        ),
        "alerts.run_due": ("运行今日计划任务", "Run today's scheduled work"),
        "alerts.running_due": (
            "正在运行 {as_of} 的计划任务…",
            "Running the scheduled work for {as_of}…",
        ),
        "alerts.due_done": (
            "{as_of} 的计划任务已运行。",
            "The scheduled work for {as_of} has run.",
        ),
        "alerts.due_snapshot": ("已生成快照 {label}。", "Snapshot {label} taken."),
        "alerts.due_snapshot_missing": (
            "本月快照 {label} 未在月初（1–5 日）生成，不会补生成；如仍需要，请用 forecast snapshot --month {label} 手动生成。",
            "This month's snapshot {label} was not taken in days 1–5 and is not "
            "taken late; take it by hand with `forecast snapshot --month {label}` "
            "if it is still wanted.",
        ),
        "alerts.due_raised": ("新告警 {count} 条。", "{count} new alerts raised."),
        "alerts.due_accuracy": (
            "已记录 {month} 的三阶段加权预测准确率。",
            "Weighted accuracy of {month} recorded.",
        ),
        "alerts.due_notified": (
            "通知：新排队 {queued} 条，发送 {attempted} 条，成功 {delivered} 条，失败 {failed} 条（失败的会自动重试，详见“通知发送状态”）。",
            "Notifications: {queued} queued, {attempted} attempted, {delivered} "
            "delivered, {failed} failed (failed ones are retried; see the delivery "
            "status).",
        ),
        "alerts.due_error": ("首个发送错误：{error}", "First delivery error: {error}"),
        "alerts.due_nothing": (
            "{as_of} 没有新的计划任务要做（已完成）。",
            "Nothing new to do for {as_of}: the day's work is done.",
        ),
    }
)
