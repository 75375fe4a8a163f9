"""The extracts of SPEC §3: their columns, headers, value types, keys and policy.

One `Extract` per kind. A column is known by its Chinese header, its English
name (the warehouse column) and any source-system aliases such as SAP's
`Sales Document`; the loader matches a file's header against all of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class ValueType(Enum):
    """How a cell's text is parsed (see loaders.values)."""

    TEXT = "text"
    MONEY = "money"
    COUNT = "count"
    YEAR = "year"
    MONTH_NUMBER = "month_number"
    DATE = "date"
    MONTH = "month"
    TIMESTAMP = "timestamp"
    CHOICE = "choice"


class Policy(Enum):
    """What a re-sent key does (SPEC §3 "Keys")."""

    # The current table takes the latest row; every version is kept in history.
    LATEST_WINS = "latest_wins"
    # Rows are only ever added; an identical re-sent row is skipped and a
    # different one is refused.
    INSERT_ONLY = "insert_only"


def choice_key(text: str) -> str:
    """The spelling-insensitive form of an enumeration value or header name.

    "L Potential", "l_potential" and "LPotential" all become "lpotential".
    """
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def _choices(spellings: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Accepted spellings → stored value, keyed by `choice_key`."""
    return {
        choice_key(spelling): stored
        for stored, accepted in spellings.items()
        for spelling in (stored, *accepted)
    }


BUSINESS_LINES = _choices({"integrated": ("模塑一体",), "commodity": ("商品模",)})
PHASES = _choices(
    {
        "opportunity": ("机会",),
        "mold_development": ("模具开发",),
        "mass_production": ("量产",),
    }
)
STAGES = _choices(
    {
        "L Potential": (),
        "M Potential": (),
        "H Potential": (),
        "Secured": (),
        "Lost": (),
    }
)
VERSIONS = _choices(
    {
        "rolling": ("滚动", "滚动预测", "滚动版", "主观版"),
        "precision": ("精度", "精度版", "H Potential", "H Potential版"),
    }
)
METRICS = _choices({"sales": ("销售",), "orders": ("接单", "order")})
SHIPMENT_KINDS = _choices({"mold": ("模具",), "product": ("产品",)})
PLAN_OR_ACTUAL = _choices({"plan": ("计划",), "actual": ("实际",)})
SOURCES = _choices({"APS": (), "ERP": (), "PM": ()})
# Money is CNY throughout (SPEC §2); SAP writes it as CNY, some exports as RMB.
CURRENCIES = _choices({"CNY": ("RMB", "人民币")})


@dataclass(frozen=True)
class Column:
    """One column of an extract as the warehouse stores it."""

    name: str
    zh: str
    type: ValueType
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Mapping[str, str] = field(default_factory=dict)
    # Stored when the cell is blank: "" for blank key parts, 0 for amounts.
    default: str | None = None

    @property
    def label(self) -> str:
        """How messages name the column when the file does not: 中文 (name)."""
        return f"{self.zh} ({self.name})"

    def header_keys(self) -> set[str]:
        """Every header spelling that names this column, normalised."""
        return {choice_key(text) for text in (self.zh, self.name, *self.aliases)}


@dataclass(frozen=True)
class Extract:
    """One kind of extract file: its columns, key and replace policy."""

    kind: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    policy: Policy
    # Rows must name a deal already in the warehouse (forecasts, quotes).
    needs_known_deal: bool = False
    # At least one of these columns must carry a value on every row.
    one_of: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(column for column in self.columns if column.name == name)


def _text(
    name: str,
    zh: str,
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    default: str | None = None,
) -> Column:
    return Column(name, zh, ValueType.TEXT, required, aliases, default=default)


def _money(
    name: str, zh: str, *, required: bool = False, aliases: tuple[str, ...] = ()
) -> Column:
    # SPEC §3: a blank optional amount is 0.
    default = None if required else "0"
    return Column(name, zh, ValueType.MONEY, required, aliases, default=default)


def _choice(
    name: str,
    zh: str,
    choices: Mapping[str, str],
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    default: str | None = None,
) -> Column:
    return Column(name, zh, ValueType.CHOICE, required, aliases, choices, default)


DEALS = Extract(
    kind="deals",
    zh="CRM 商机",
    columns=(
        _text("deal_id", "商机编号", required=True),
        _text("deal_name", "商机名称"),
        _choice("business_line", "业务类型", BUSINESS_LINES, required=True),
        _text("track", "赛道", required=True),
        _text("account_manager", "客户经理", required=True),
        _text("profit_center", "利润中心"),
        _text("customer", "客户"),
        _choice("phase", "商机类型", PHASES, required=True),
        _choice("stage", "商机阶段", STAGES, required=True),
        Column("created_on", "创建日期", ValueType.DATE, required=True),
        Column("secured_on", "Secured日期", ValueType.DATE),
        _text("project_id", "项目编号"),
        Column("planned_mp_on", "计划量产日期", ValueType.DATE),
    ),
    key=("deal_id",),
    policy=Policy.LATEST_WINS,
)

FORECASTS = Extract(
    kind="forecasts",
    zh="CRM 预测",
    columns=(
        _text("deal_id", "商机编号", required=True),
        _choice("version", "预测版本", VERSIONS, required=True),
        Column("submitted_at", "提交时间", ValueType.TIMESTAMP, required=True),
        Column("month", "月份", ValueType.MONTH, required=True),
        _money("order_amount", "接单金额"),
        Column("mold_sets", "模具套数", ValueType.COUNT, default="0"),
        _money("mold_sales", "模具销售金额"),
        _money("product_sales", "产品销售金额"),
    ),
    key=("deal_id", "version", "submitted_at", "month"),
    policy=Policy.INSERT_ONLY,
    needs_known_deal=True,
)

QUOTES = Extract(
    kind="quotes",
    zh="CRM 报价",
    columns=(
        _text("quote_id", "报价编号", required=True),
        _text("deal_id", "商机编号", required=True),
        _choice("stage", "报价阶段", STAGES, required=True),
        Column("quoted_on", "报价日期", ValueType.DATE, required=True),
        _money("amount", "报价金额"),
    ),
    key=("quote_id",),
    policy=Policy.LATEST_WINS,
    needs_known_deal=True,
)

TARGETS = Extract(
    kind="targets",
    zh="目标",
    columns=(
        Column("year", "年份", ValueType.YEAR, required=True),
        _choice("business_line", "业务类型", BUSINESS_LINES, required=True),
        _choice("metric", "指标", METRICS, required=True),
        Column("month", "月份", ValueType.MONTH_NUMBER, required=True),
        _text("track", "赛道", default=""),
        _text("account_manager", "客户经理", default=""),
        _text("profit_center", "利润中心", default=""),
        _money("amount", "目标金额", required=True),
    ),
    key=(
        "year",
        "business_line",
        "metric",
        "month",
        "track",
        "account_manager",
        "profit_center",
    ),
    policy=Policy.LATEST_WINS,
)

SHIPMENTS = Extract(
    kind="shipments",
    zh="APS/ERP/PM 出货",
    columns=(
        Column("month", "月份", ValueType.MONTH, required=True),
        _text("deal_id", "商机编号", default=""),
        _text("project_id", "项目编号", default=""),
        _choice("kind", "类型", SHIPMENT_KINDS, required=True),
        _money("amount", "金额", required=True),
        _choice("source", "来源", SOURCES, default=""),
        _choice("plan_or_actual", "计划或实际", PLAN_OR_ACTUAL, default="actual"),
    ),
    key=("month", "deal_id", "project_id", "kind", "source", "plan_or_actual"),
    policy=Policy.LATEST_WINS,
    one_of=("deal_id", "project_id"),
)

ORDERS = Extract(
    kind="orders",
    zh="SAP 订单",
    columns=(
        _text("order_no", "销售凭证", required=True, aliases=("Sales Document",)),
        Column(
            "order_date",
            "凭证日期",
            ValueType.DATE,
            required=True,
            aliases=("Document Date",),
        ),
        _choice("business_line", "业务类型", BUSINESS_LINES, required=True),
        _text("track", "赛道", required=True),
        _text("account_manager", "客户经理", required=True),
        _text("profit_center", "利润中心"),
        _text("customer", "客户", aliases=("Sold-To Party",)),
        _text("deal_id", "商机编号"),
        _money("net_value", "净值", required=True, aliases=("Net Value",)),
        _choice("currency", "货币", CURRENCIES, default="CNY", aliases=("Currency",)),
    ),
    key=("order_no",),
    policy=Policy.INSERT_ONLY,
)

WIP_PLAN = Extract(
    kind="wip_plan",
    zh="APS 在制品销售计划",
    columns=(
        Column("month", "月份", ValueType.MONTH, required=True),
        _text("project_id", "项目编号", required=True),
        _text("track", "赛道", required=True),
        _text("profit_center", "利润中心"),
        _money("planned_sales", "计划销售金额", required=True),
    ),
    key=("month", "project_id"),
    policy=Policy.LATEST_WINS,
)

EXTRACTS: dict[str, Extract] = {
    extract.kind: extract
    for extract in (DEALS, FORECASTS, QUOTES, TARGETS, SHIPMENTS, ORDERS, WIP_PLAN)
}
