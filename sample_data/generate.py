"""Generate the sample year 2026 of the group's extracts, deterministically.

`python sample_data/generate.py` rewrites sample_data/2026/ byte for byte from a
fixed seed; `--out DIR` writes elsewhere (the tests compare the two). The files
replay the year as the analysts received it:

    2026/users.csv                  the sample's users (not an extract)
    2026/targets.xlsx               the year's sales and order targets
    2026/wip_plan.csv               the WIP sales plan set in January
    2026/MM/05/                     the CRM pull on the 5th: deals, forecasts, quotes
    2026/MM/DD/                     the CRM pull at month end (2026-11-27 in November)
    2026/MM/orders.csv              SAP orders dated in the month
    2026/MM/shipments.csv           APS/ERP/PM shipments of the month
    2026/07/wip_plan.csv            the mid-year revision of the WIP sales plan

A CRM pull holds every deal created by then with its state at that moment, and
the forecast submissions and quotes dated since the previous pull. Money is kept
in integer fen here and written with two decimals, so no float touches it.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter

SEED = 20261127
YEAR = 2026
AS_OF = date(2026, 11, 27)
EARLY_PULL_DAY = 5

# The baseline is taken as of 2026-01-10 right after the January 5th pull, so
# nothing may happen between the pull and that date.
QUIET_DAYS = (date(2026, 1, 6), date(2026, 1, 10))

YUAN = 100  # fen per yuan
WAN = 10_000 * YUAN  # fen per 万元
FORECAST_UNIT = 100 * YUAN  # managers forecast to the hundred yuan

OUT_DEFAULT = Path(__file__).resolve().parent / str(YEAR)

PROFIT_CENTERS_COMMODITY = ("深圳模具中心", "宁波模具中心", "昆山模具中心")


@dataclass(frozen=True)
class TrackProfile:
    """How one track's integrated business looks: sizes, customers, seasons."""

    profit_centers: tuple[str, ...]
    managers: tuple[str, ...]
    director: str
    mold_wan: tuple[int, int]  # price of one mold set, 万元
    product_wan: tuple[int, int]  # product sales per month at full rate, 万元
    customers: tuple[str, ...]
    parts: tuple[str, ...]
    season: tuple[int, ...]  # permille of the monthly rate, Jan…Dec
    counts: tuple[int, int, int, int]  # mass production, mold dev, 2025 opps, new opps


TRACKS: dict[str, TrackProfile] = {
    "汽车": TrackProfile(
        profit_centers=("苏州精密注塑", "重庆汽车部件厂"),
        managers=("王磊", "李娜", "张伟"),
        director="周涛",
        mold_wan=(80, 480),
        product_wan=(40, 300),
        customers=(
            "华南新能源汽车",
            "江城智行汽车科技",
            "北辰汽车电子",
            "启航动力系统",
            "星驰汽车零部件",
            "海湾电驱科技",
            "中原车灯系统",
        ),
        parts=(
            "前大灯壳体",
            "中控面板",
            "电池包上盖",
            "门板饰条",
            "充电口盖",
            "座椅骨架件",
        ),
        season=(1000, 760, 1000, 1020, 1030, 1000, 980, 990, 1040, 1060, 1080, 1040),
        counts=(12, 6, 12, 40),
    ),
    "医疗": TrackProfile(
        profit_centers=("天津医疗洁净注塑",),
        managers=("刘洋", "陈静"),
        director="吴静",
        mold_wan=(30, 160),
        product_wan=(8, 80),
        customers=(
            "康泽医疗器械",
            "瑞安微创医疗",
            "博恒诊断设备",
            "安心输注科技",
            "明澈眼科器械",
            "和煦健康科技",
        ),
        parts=("输液泵外壳", "血糖仪壳体", "采血针座", "雾化器面罩", "呼吸阀体"),
        season=(1000, 850, 1000, 1000, 1000, 1010, 1000, 1000, 1010, 1020, 1030, 1050),
        counts=(8, 4, 8, 22),
    ),
    "消费电子": TrackProfile(
        profit_centers=("东莞量产一厂",),
        managers=("杨帆", "黄勇"),
        director="郑浩",
        mold_wan=(30, 120),
        product_wan=(20, 250),
        customers=(
            "蓝鲸智能终端",
            "星辰穿戴科技",
            "极光声学",
            "云帆通讯设备",
            "锐影影像科技",
            "青橙电子",
        ),
        parts=("耳机充电盒", "手表中框", "平板后盖", "音箱网罩", "相机镜座"),
        season=(950, 700, 900, 950, 980, 1000, 1050, 1100, 1150, 1150, 1120, 1000),
        counts=(10, 5, 10, 34),
    ),
    "智能家居": TrackProfile(
        profit_centers=("东莞量产二厂",),
        managers=("周敏", "吴昊"),
        director="冯雪",
        mold_wan=(40, 200),
        product_wan=(15, 150),
        customers=(
            "暖居智能家电",
            "清风环境电器",
            "悦家智能科技",
            "安居门锁科技",
            "小禾厨电",
        ),
        parts=(
            "扫地机器人底盘",
            "空气净化器面板",
            "智能门锁面板",
            "加湿器水箱",
            "电饭煲上盖",
        ),
        season=(1000, 750, 950, 1000, 1050, 1080, 1000, 1000, 1020, 1050, 1120, 1080),
        counts=(8, 4, 8, 28),
    ),
    "工业": TrackProfile(
        profit_centers=("苏州精密注塑",),
        managers=("徐丽", "孙强"),
        director="何军",
        mold_wan=(40, 250),
        product_wan=(5, 100),
        customers=(
            "恒力工业自动化",
            "铭锐电气",
            "泰和仪表",
            "北岭液压",
            "精拓工具",
        ),
        parts=("伺服电机端盖", "仪表外壳", "断路器底座", "电动工具机壳", "接线盒"),
        season=(1000, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000),
        counts=(8, 4, 8, 28),
    ),
}

# Commodity account managers: (track, home profit center, quarterly win strength).
COMMODITY_MANAGERS: dict[str, tuple[str, str, int]] = {
    "马超": ("汽车", "宁波模具中心", 100),
    "朱琳": ("消费电子", "深圳模具中心", 100),
    "胡斌": ("工业", "昆山模具中心", 60),
    "郭婷": ("智能家居", "深圳模具中心", 100),
    "林峰": ("医疗", "昆山模具中心", 100),
}
COMMODITY_DEALS_PER_MANAGER = (5, 13)  # carried over from 2025, created in 2026
COMMODITY_PARTS = (
    "外壳模具",
    "支架模具",
    "面板模具",
    "端盖模具",
    "卡扣模具",
    "导光件模具",
)

# Order attainment each commodity manager ends up with, year to date: 胡斌 is the
# one well below target in the story the boards tell.
COMMODITY_ATTAINMENT = {
    "马超": 1060,
    "朱琳": 980,
    "胡斌": 550,
    "郭婷": 1120,
    "林峰": 930,
}

# Integrated sales target per track, decided from what the track will hold as of
# the sample date: (kind, permille). "over" = target is that share of the
# committed revenue (gap below zero); "coverage" = the gap is the weighted
# pipeline divided by that coverage; 医疗 is the track short of coverage.
TARGET_STORY: dict[str, tuple[str, int]] = {
    "汽车": ("over", 950),
    "医疗": ("short", 0),
    "消费电子": ("coverage", 3000),
    "智能家居": ("over", 970),
    "工业": ("over", 985),
}

CEO, ADMIN, ANALYST = "陈建国", "赵敏", "孙丽"
ORIGINS = ("老客户", "展会", "招标", "客户推荐", "官网询价")


@dataclass(frozen=True)
class Row:
    """One month of a forecast submission, in fen (sets are mold sets ordered)."""

    order: int = 0
    sets: int = 0
    mold: int = 0
    product: int = 0

    def __add__(self, other: Row) -> Row:
        return Row(
            self.order + other.order,
            self.sets + other.sets,
            self.mold + other.mold,
            self.product + other.product,
        )

    @property
    def empty(self) -> bool:
        """No figure at all in this month."""
        return not (self.order or self.sets or self.mold or self.product)

    @property
    def sales(self) -> int:
        """forecast_sales of SPEC §4: mold sales plus product sales."""
        return self.mold + self.product


@dataclass
class Submission:
    """A forecast submission of one deal: its version, moment and months."""

    version: str  # rolling | precision
    submitted_at: datetime
    rows: dict[int, Row]


@dataclass(frozen=True)
class Plan:
    """An integrated deal's shape: order, two mold-sales tranches, product ramp.

    Months are indices counted from January of YEAR = 1 (December 2025 = 0,
    January 2027 = 13). Mold sales: 30 % the month after the order (design
    approval), the rest at final acceptance `final_after` months after it;
    product sales start `mp_after` months after the order, at 40 % the first
    month, and stop after `eol` when the part reaches end of life.
    """

    order_month: int
    value: int
    sets: int
    final_after: int
    mp_after: int
    product: int
    season: tuple[int, ...]
    eol: int | None = None

    @property
    def mp_month(self) -> int:
        """The month mass production starts."""
        return self.order_month + self.mp_after

    def rows(self, first_month: int, *, commodity: bool = False) -> dict[int, Row]:
        """The plan's non-empty months from first_month to December."""
        first_tranche = round_to(self.value * 3 // 10, YUAN)
        found: dict[int, Row] = {}
        for m in range(max(first_month, 1), 13):
            row = Row()
            if m == self.order_month:
                row += Row(order=self.value, sets=self.sets)
            if not commodity:
                if m == self.order_month + 1:
                    row += Row(mold=first_tranche)
                if m == self.order_month + self.final_after:
                    row += Row(mold=self.value - first_tranche)
                row += Row(product=self.product_in(m))
            if not row.empty:
                found[m] = row
        return found

    def product_in(self, m: int) -> int:
        """Product sales of month m at the plan's rate, season and ramp."""
        if m < self.mp_month or (self.eol is not None and m > self.eol):
            return 0
        amount = self.product * self.season[(m - 1) % 12] // 1000
        if m == self.mp_month:
            amount = amount * 4 // 10
        return round_to(amount, FORECAST_UNIT)

    def scaled(self, permille: int) -> Plan:
        """The same plan with order value and product rate times permille/1000."""
        return replace(
            self,
            value=scale(self.value, permille, FORECAST_UNIT),
            product=scale(self.product, permille, FORECAST_UNIT),
        )


@dataclass
class Deal:
    """A CRM deal and everything that happens to it during the year."""

    key: int
    line: str  # integrated | commodity
    track: str
    manager: str
    profit_center: str
    customer: str
    part: str
    origin: str
    created: date
    start_stage: str
    plan: Plan
    m_on: date | None = None
    h_on: date | None = None
    secured_on: date | None = None
    lost_on: date | None = None
    project_on: date | None = None
    mp_on: date | None = None
    deal_id: str = ""
    project_id: str = ""
    optimism: int = 0  # permille above the truth in the first estimate
    lead: int = 0  # months the first estimate books the order too early
    hopeful: bool = False  # keeps booking early even once the customer said when
    precision_kind: str | None = None
    precision_factor: int = 1000
    truth: Plan | None = None  # what really happens once won
    final_slip: int = 0  # months the final mold acceptance slips
    ship_by_project: bool = False
    submissions: list[Submission] = field(default_factory=list)
    quotes: list[tuple[date, str, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The deal name the CRM shows: customer and part."""
        suffix = "项目" if self.line == "integrated" else ""
        return f"{self.customer}{self.part}{suffix}"

    def state(self, at: date) -> tuple[str, str] | None:
        """(phase, stage) in the CRM at the end of day `at`; None before creation."""
        if self.created > at:
            return None

        if self.secured_on and self.secured_on <= at:
            stage = "Secured"
        elif self.h_on and self.h_on <= at:
            stage = "H Potential"
        elif self.m_on and self.m_on <= at:
            stage = "M Potential"
        else:
            stage = self.start_stage
        if self.lost_on and self.lost_on <= at:
            stage = "Lost"

        if self.mp_on and self.mp_on <= at:
            phase = "量产"
        elif self.project_on and self.project_on <= at:
            phase = "模具开发"
        else:
            phase = "机会"
        return phase, stage

    def won_by(self, at: date) -> bool:
        """Secured on or before `at`."""
        return self.secured_on is not None and self.secured_on <= at


def round_to(amount: int, unit: int) -> int:
    """Round half up to a multiple of unit (all amounts are non-negative)."""
    return (amount + unit // 2) // unit * unit


def scale(amount: int, permille: int, unit: int = YUAN) -> int:
    """amount × permille / 1000, rounded half up to a multiple of unit."""
    return (amount * permille + 500 * unit) // (1000 * unit) * unit


def month_index(d: date) -> int:
    """Month index of a date: January YEAR = 1, December of the year before = 0."""
    return (d.year - YEAR) * 12 + d.month


def month_first(index: int) -> date:
    """The first day of month `index`."""
    year, month = divmod(index - 1, 12)
    return date(YEAR + year, month + 1, 1)


def month_last(index: int) -> date:
    """The last day of month `index`."""
    return month_first(index + 1) - timedelta(days=1)


def day_in(rng: random.Random, index: int, first_day: int = 1) -> date:
    """A random day of month `index` from first_day to the 28th."""
    return month_first(index).replace(day=rng.randint(first_day, 28))


def money(fen: int, *, separators: bool = False) -> str:
    """Fen as a decimal string with two places, optionally with separators."""
    yuan, cents = divmod(fen, YUAN)
    whole = f"{yuan:,}" if separators else str(yuan)
    return f"{whole}.{cents:02d}"


def slash_date(d: date) -> str:
    """2026/3/5, as the CRM's Excel export writes dates."""
    return f"{d.year}/{d.month}/{d.day}"


def chinese_date(d: date) -> str:
    """2026年3月5日, as the CRM's custom date fields export."""
    return f"{d.year}年{d.month}月{d.day}日"


def in_year(index: int) -> bool:
    """Month index falls in YEAR."""
    return 1 <= index <= 12


def creation_day(rng: random.Random, index: int) -> date:
    """A creation date in month `index`, outside the quiet days, before AS_OF."""
    created = min(day_in(rng, index), AS_OF - timedelta(days=2))
    return shift_off_quiet(created)


def shift_off_quiet(d: date) -> date:
    """Move an event out of the quiet window before the January baseline."""
    start, end = QUIET_DAYS
    return end + timedelta(days=1) if start <= d <= end else d


class Year:
    """The simulated year: the cast, the deals and what happens to them."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.deals: list[Deal] = []
        self.wip_projects: list[WipProject] = []
        self.repeat_orders: list[RepeatOrder] = []

    def build(self) -> None:
        """Invent the deals, then play every deal's year."""
        for track, profile in TRACKS.items():
            self._integrated_deals(track, profile)
        self._story_deal()
        for manager, (track, center, strength) in COMMODITY_MANAGERS.items():
            self._commodity_deals(manager, track, center, strength)
        self._number_deals()

        for deal in self.deals:
            if deal.line == "integrated":
                self._play_integrated(deal)
            else:
                self._play_commodity(deal)

        self._wip_projects()
        self._repeat_orders()

    def _integrated_deals(self, track: str, profile: TrackProfile) -> None:
        mass, mold_dev, carried, new = profile.counts
        for category, count in (
            ("A", mass),
            ("B", mold_dev),
            ("C", carried),
            ("D", new),
        ):
            for _ in range(count):
                manager = self.rng.choice(profile.managers)
                self.deals.append(
                    self._new_integrated(track, profile, manager, category)
                )

    def _new_integrated(
        self, track: str, profile: TrackProfile, manager: str, category: str
    ) -> Deal:
        """One integrated deal: A in mass production, B in mold development since
        2025, C an opportunity from 2025, D an opportunity created in 2026."""
        rng = self.rng
        sets = rng.choice((1, 1, 2, 2, 3, 4, 6))
        value = sets * rng.randint(*profile.mold_wan) * WAN
        value += rng.randint(0, 99) * 1000 * YUAN
        final_after = rng.randint(3, 5)
        plan = Plan(
            order_month=0,
            value=value,
            sets=sets,
            final_after=final_after,
            mp_after=final_after + rng.randint(1, 2),
            product=rng.randint(*profile.product_wan) * WAN,
            season=profile.season,
        )
        deal = Deal(
            key=len(self.deals),
            line="integrated",
            track=track,
            manager=manager,
            profit_center=rng.choice(profile.profit_centers),
            customer=rng.choice(profile.customers),
            part=rng.choice(profile.parts),
            origin=rng.choice(ORIGINS),
            created=date(YEAR, 1, 1),
            start_stage="M Potential",
            plan=plan,
            ship_by_project=rng.random() < 0.6,
        )

        if category == "A":
            order_month = rng.randint(-30, -9)
            eol = rng.randint(5, 11) if rng.random() < 0.15 else None
            deal.plan = replace(plan, order_month=order_month, eol=eol)
            self._won_before_year(deal)
            deal.mp_on = day_in(rng, deal.plan.mp_month)
            deal.optimism = rng.randint(-40, 160)
        elif category == "B":
            order_month = rng.randint(-5, 0)
            mp_after = max(plan.mp_after, 2 - order_month)
            deal.plan = replace(
                plan,
                order_month=order_month,
                final_after=min(final_after, mp_after - 1),
                mp_after=mp_after,
            )
            self._won_before_year(deal)
            deal.mp_on = shift_off_quiet(day_in(rng, deal.plan.mp_month))
            deal.optimism = rng.randint(0, 250)
        else:
            first, last = (-4, 0) if category == "C" else (1, 11)
            deal.created = creation_day(rng, rng.randint(first, last))
            deal.start_stage = "L Potential" if rng.random() < 0.65 else "M Potential"
            drifter = rng.random() < 0.75
            deal.optimism = rng.randint(150, 450) if drifter else rng.randint(-30, 60)
            if category == "D":
                # The new process takes hold: later deals start less optimistic.
                deal.optimism = deal.optimism * (14 - deal.created.month) // 13
            deal.lead = rng.choice((0, 1, 1, 2, 3))
            deal.hopeful = rng.random() < 0.15
            self._opportunity_path(deal)
        return deal

    def _story_deal(self) -> None:
        """The opportunity the 25th rule must catch on 2026-11-27: created in
        September, expected to book in November, still without an H Potential
        quote (the customer will only order in December)."""
        deal = self._new_integrated("医疗", TRACKS["医疗"], "刘洋", "D")
        deal.created = date(YEAR, 9, 14)
        deal.start_stage = "M Potential"
        deal.m_on = deal.h_on = deal.secured_on = deal.lost_on = None
        deal.project_on = None
        deal.plan = replace(deal.plan, order_month=12)
        deal.optimism, deal.lead, deal.hopeful = 300, 2, True
        self.deals.append(deal)

    def _won_before_year(self, deal: Deal) -> None:
        rng = self.rng
        deal.created = day_in(rng, deal.plan.order_month - rng.randint(2, 6))
        deal.secured_on = day_in(rng, deal.plan.order_month)
        project_on = deal.secured_on + timedelta(days=rng.randint(10, 30))
        deal.project_on = shift_off_quiet(project_on)

    def _opportunity_path(self, deal: Deal) -> None:
        """Stage dates of an opportunity (M, H, Secured or Lost) up to AS_OF.

        The month it would be won in is the truth its estimates drift towards,
        whether or not it is won by AS_OF.
        """
        rng = self.rng
        stall = 3 if rng.random() < 0.25 else 1
        at = deal.created
        m_on = None
        if deal.start_stage == "L Potential":
            at += timedelta(days=rng.randint(25, 90) * stall)
            m_on = shift_off_quiet(at)
        at += timedelta(days=rng.randint(25, 90) * stall)
        # H Potential quotes fall after the 5th, after the monthly revision.
        h_on = shift_off_quiet(at if at.day > EARLY_PULL_DAY else at.replace(day=6))
        at = h_on + timedelta(days=rng.randint(15, 60) * stall)
        secured_on = shift_off_quiet(at)
        deal.plan = replace(deal.plan, order_month=month_index(secured_on))

        lost_on = None
        if rng.random() < 0.3:
            before = rng.choice([d for d in (m_on, h_on, secured_on) if d])
            lost_on = before - timedelta(days=rng.randint(3, 15))
            lost_on = shift_off_quiet(max(lost_on, deal.created + timedelta(days=7)))

        def happened(d: date | None) -> date | None:
            if d is None or d > AS_OF or (lost_on and d >= lost_on):
                return None
            return d

        deal.m_on = happened(m_on)
        deal.h_on = happened(h_on)
        deal.secured_on = happened(secured_on)
        deal.lost_on = lost_on if lost_on and lost_on <= AS_OF else None
        if deal.secured_on:
            days = (
                rng.randint(10, 35) if deal.line == "integrated" else rng.randint(5, 20)
            )
            project_on = deal.secured_on + timedelta(days=days)
            deal.project_on = project_on if project_on <= AS_OF else None

    def _commodity_deals(
        self, manager: str, track: str, center: str, strength: int
    ) -> None:
        rng = self.rng
        profile = TRACKS[track]
        carried, new = COMMODITY_DEALS_PER_MANAGER
        for index in range(carried + new):
            plan = Plan(
                order_month=0,
                value=rng.randint(30, 300) * WAN,
                sets=rng.choice((1, 1, 2, 3)),
                final_after=3,
                mp_after=4,
                product=0,
                season=profile.season,
            )
            home = rng.random() < 0.8
            created_month = (
                rng.randint(-4, 0) if index < carried else rng.randint(1, 11)
            )
            deal = Deal(
                key=len(self.deals),
                line="commodity",
                track=track,
                manager=manager,
                profit_center=center if home else rng.choice(PROFIT_CENTERS_COMMODITY),
                customer=rng.choice(profile.customers),
                part=rng.choice(COMMODITY_PARTS),
                origin=rng.choice(ORIGINS),
                created=creation_day(rng, created_month),
                start_stage="L Potential" if rng.random() < 0.5 else "M Potential",
                plan=plan,
                optimism=rng.randint(50, 300),
                lead=rng.choice((0, 1, 2)),
            )
            self._opportunity_path(deal)
            if deal.secured_on and rng.randint(1, 100) > strength:
                # A weak year: the customer walks away at the final quote.
                deal.lost_on = deal.secured_on
                deal.secured_on = None
                deal.project_on = None
            self.deals.append(deal)

    def _number_deals(self) -> None:
        """CRM numbers by creation date; project numbers by project creation."""
        counters: dict[int, int] = {}
        for deal in sorted(self.deals, key=lambda d: (d.created, d.key)):
            counters[deal.created.year] = counters.get(deal.created.year, 0) + 1
            deal.deal_id = f"OPP-{deal.created.year}-{counters[deal.created.year]:04d}"

        projects: dict[tuple[str, int], int] = {}
        with_project = [d for d in self.deals if d.project_on]
        for deal in sorted(with_project, key=lambda d: (d.project_on, d.key)):
            assert deal.project_on is not None
            prefix = "M" if deal.line == "integrated" else "C"
            key = (prefix, deal.project_on.year)
            projects[key] = projects.get(key, 0) + 1
            year = deal.project_on.year % 100
            deal.project_id = f"PJ-{prefix}{year}{projects[key]:03d}"

        self.deals.sort(key=lambda d: d.deal_id)

    def _play_integrated(self, deal: Deal) -> None:
        """Every rolling revision, the precision version, the quotes, the truth."""
        rng = self.rng
        if deal.h_on and deal.h_on.year == YEAR:
            kinds = ("identical", "shortfall", "upside", "reshaped")
            deal.precision_kind = rng.choices(kinds, (15, 50, 20, 15))[0]
            if deal.precision_kind in ("identical", "reshaped"):
                # A manager whose estimate had already settled before the quote.
                deal.optimism = min(deal.optimism, rng.randint(0, 40))
                deal.lead = 0
            deal.precision_factor = {
                "identical": 1000,
                "reshaped": 1000,
                "shortfall": rng.randint(700, 920),
                "upside": rng.randint(1080, 1250),
            }[deal.precision_kind]

        optimism, lead = deal.optimism, deal.lead
        precision: Plan | None = None
        last: Plan | None = None
        for revision, at in enumerate(submission_moments(deal, rng), start=1):
            if deal.lost_on and deal.lost_on <= at.date():
                break
            quoted = deal.h_on is not None and deal.h_on <= at.date()
            if deal.precision_kind and precision is None and quoted:
                assert last is not None
                precision = self._precision(deal, last)
                optimism = rng.randint(-20, 40)

            last = self._estimate(deal, at.date(), optimism, lead, precision)
            rows = last.rows(max(month_index(at.date()), 1)) or {12: Row()}
            deal.submissions.append(Submission("rolling", at, rows))

            optimism = optimism * 3 // 4
            if revision % 2 == 0:
                lead = max(lead - 1, 0)

        if deal.precision_kind and precision is None:
            assert last is not None
            precision = self._precision(deal, last)
        if deal.secured_on:
            if deal.truth is None:
                deal.truth = self._won_plan(deal, precision)
            if deal.project_on and not deal.mp_on:
                deal.mp_on = day_in(rng, deal.truth.mp_month)
            deal.final_slip = 1 if rng.random() < 0.1 else 0
        self._quotes(deal, precision)

    def _estimate(
        self,
        deal: Deal,
        at: date,
        optimism: int,
        lead: int,
        precision: Plan | None,
    ) -> Plan:
        """What the manager believes at `at`: the truth, early and optimistic."""
        if deal.won_by(at):
            if deal.truth is None:
                deal.truth = self._won_plan(deal, precision)
            truth = deal.truth
            return replace(truth, product=scale(truth.product, 1000 + optimism))

        now = month_index(at)
        if precision:
            return replace(precision, order_month=max(precision.order_month, now))
        # Once at M Potential the customer has said when; only the hopeful
        # still book it early.
        state = deal.state(at)
        if state and state[1] != "L Potential" and not deal.hopeful:
            lead = 0
        believed = deal.plan.scaled(1000 + optimism)
        return replace(believed, order_month=max(believed.order_month - lead, now))

    def _precision(self, deal: Deal, last: Plan) -> Plan:
        """Submit the precision version the H Potential quote forces that day.

        Identical or reshaped (same figures, one month moved), it starts from
        the rolling submission current at that moment; otherwise the quote
        knows when the order will come and resizes the estimate (shortfall or
        upside). Returns the plan the precision version stands for.
        """
        assert deal.h_on is not None
        rng = self.rng
        at = datetime.combine(deal.h_on, datetime.min.time()) + timedelta(
            hours=rng.randint(14, 17), minutes=rng.randint(0, 59)
        )
        current = deal.submissions[-1].rows
        quoted = month_index(deal.h_on)
        plan = replace(last, order_month=max(deal.plan.order_month, quoted))
        plan = plan.scaled(deal.precision_factor)

        if deal.precision_kind == "reshaped":
            rows = reshape(current, quoted)
            if rows == current:
                deal.precision_kind = "identical"
        elif deal.precision_kind == "identical":
            rows = dict(current)
        else:
            rows = plan.rows(quoted) or {12: Row()}
        deal.submissions.append(Submission("precision", at, rows))
        return plan

    def _won_plan(self, deal: Deal, precision: Plan | None) -> Plan:
        """The real order: its month, value (±4 % of the quote) and schedule."""
        assert deal.secured_on is not None
        base = precision or deal.plan
        value = scale(base.value, self.rng.randint(960, 1040), 1000 * YUAN)
        return replace(base, order_month=month_index(deal.secured_on), value=value)

    def _quotes(self, deal: Deal, precision: Plan | None) -> None:
        """A quote at each stage reached: budgetary L, M, H and the final price."""
        rng = self.rng
        estimate = deal.plan.scaled(1000 + deal.optimism).value
        if deal.created.year >= YEAR - 1:
            if deal.start_stage == "M Potential":
                deal.quotes.append((deal.created, "M Potential", estimate))
            elif rng.random() < 0.4:
                deal.quotes.append((deal.created, "L Potential", estimate))
        if deal.m_on:
            deal.quotes.append((deal.m_on, "M Potential", estimate))
            if deal.h_on and rng.random() < 0.2:
                requote = deal.m_on + (deal.h_on - deal.m_on) / 2
                deal.quotes.append((requote, "M Potential", scale(estimate, 940)))
        if deal.h_on:
            value = precision.value if precision else estimate
            deal.quotes.append((deal.h_on, "H Potential", value))
        if deal.secured_on and deal.secured_on.year == YEAR and deal.truth:
            deal.quotes.append((deal.secured_on, "Secured", deal.truth.value))

    def _play_commodity(self, deal: Deal) -> None:
        """Commodity opportunities forecast only the order, month by month."""
        rng = self.rng
        optimism, lead = deal.optimism, deal.lead
        for revision, at in enumerate(submission_moments(deal, rng), start=1):
            day = at.date()
            if (deal.lost_on and deal.lost_on <= day) or deal.won_by(day):
                break
            plan = deal.plan.scaled(1000 + optimism)
            now = max(month_index(day), 1)
            plan = replace(plan, order_month=max(plan.order_month - lead, now))
            rows = plan.rows(now, commodity=True)
            if rows:
                deal.submissions.append(Submission("rolling", at, rows))
            optimism = optimism * 3 // 4
            if revision % 2 == 0:
                lead = max(lead - 1, 0)

        if deal.secured_on:
            deal.truth = self._won_plan(deal, None)
        self._quotes(deal, None)

    def _wip_projects(self) -> None:
        """Commodity molds in work from 2025 orders: projects no CRM deal carries."""
        rng = self.rng
        managers = list(COMMODITY_MANAGERS.values())
        for number in range(1, 25):
            track, center, _ = managers[number % len(managers)]
            project = WipProject(
                project_id=f"PJ-C25{100 + number:03d}",
                track=track,
                profit_center=center,
                value=rng.randint(40, 260) * WAN,
                start=rng.randint(1, 4),
                months=rng.randint(3, 6),
            )
            self.wip_projects.append(project)

        for deal in self.deals:
            if deal.line == "commodity" and deal.project_on and deal.truth:
                project = WipProject(
                    project_id=deal.project_id,
                    track=deal.track,
                    profit_center=deal.profit_center,
                    value=deal.truth.value,
                    start=month_index(deal.project_on) + 1,
                    months=4,
                    opened_on=deal.project_on,
                )
                self.wip_projects.append(project)

    def _repeat_orders(self) -> None:
        """Small repeat orders (spare inserts, copies) that carry no CRM deal."""
        rng = self.rng
        for manager, (track, center, strength) in COMMODITY_MANAGERS.items():
            customers = TRACKS[track].customers
            strong = strength >= 100
            for m in range(1, month_index(AS_OF) + 1):
                for _ in range(rng.randint(1, 3) if strong else rng.randint(1, 2)):
                    high = 60 if strong else 40
                    amount = rng.randint(8, high) * WAN + rng.randint(0, 999) * YUAN
                    day = day_in(rng, m)
                    if day <= AS_OF:
                        order = RepeatOrder(
                            day, manager, center, rng.choice(customers), amount
                        )
                        self.repeat_orders.append(order)
        self.repeat_orders.sort()


@dataclass(frozen=True)
class WipProject:
    """A commodity mold in work: its planned sales spread evenly over months."""

    project_id: str
    track: str
    profit_center: str
    value: int
    start: int
    months: int
    opened_on: date | None = None  # None: opened in 2025, in January's plan

    def planned(self) -> dict[int, int]:
        """Planned sales per month of the year."""
        per_month = round_to(self.value // self.months, 1000 * YUAN)
        months = range(self.start, self.start + self.months)
        return {m: per_month for m in months if in_year(m)}


@dataclass(frozen=True, order=True)
class RepeatOrder:
    """A commodity SAP order with no CRM deal behind it."""

    order_date: date
    manager: str
    profit_center: str
    customer: str
    amount: int


def submission_moments(deal: Deal, rng: random.Random) -> Iterable[datetime]:
    """When the manager submits rolling forecasts: at creation, then monthly.

    Revisions happen on day 1–5 at 09:xx (from the 2nd in January); a deal
    older than December 2025 shows up first with its December 2025 revision,
    where the extracts begin.
    """
    if deal.created >= date(YEAR - 1, 12, 1):
        yield datetime.combine(deal.created, datetime.min.time()) + timedelta(
            hours=rng.randint(10, 17), minutes=rng.randint(0, 59)
        )
        first_revision = month_index(deal.created) + 1
    else:
        first_revision = 0
    for m in range(first_revision, month_index(AS_OF) + 1):
        day = month_first(m).replace(
            day=rng.randint(2 if m == 1 else 1, EARLY_PULL_DAY)
        )
        yield datetime.combine(day, datetime.min.time()) + timedelta(
            hours=9, minutes=rng.randint(0, 59)
        )


def reshape(rows: dict[int, Row], first_month: int) -> dict[int, Row]:
    """Move the first month's figures one month later (or earlier): same totals."""
    for month in sorted(m for m, r in rows.items() if not r.empty):
        target = month + 1 if month < 12 else month - 1
        if target < first_month:
            continue
        moved = dict(rows)
        moved[target] = moved.get(target, Row()) + moved.pop(month)
        return dict(sorted(moved.items()))
    return rows


def shipment_rows(year: Year, m: int) -> list[list[str]]:
    """Shipments of month m: mold (PM, by deal), product (ERP, by project or by
    deal), the APS product plan of m + 1, and commodity molds in work (ERP)."""
    rng = random.Random(SEED * 100 + m)
    partial = 850 if m == month_index(AS_OF) else 1000
    rows: list[list[str]] = []
    for deal in year.deals:
        truth = deal.truth
        if deal.line != "integrated" or truth is None or not deal.won_by(month_last(m)):
            continue

        first_tranche = round_to(truth.value * 3 // 10, YUAN)
        mold = 0
        if m == truth.order_month + 1:
            mold += first_tranche
        if m == truth.order_month + truth.final_after + deal.final_slip:
            mold += truth.value - first_tranche
        # November is still open on the 27th: half of its acceptances are done.
        if mold and not (partial < 1000 and rng.random() < 0.5):
            rows.append(shipment(m, deal.deal_id, "", "mold", mold, "PM", "actual"))

        product = truth.product_in(m)
        if product and deal.project_on and deal.project_on <= month_last(m):
            amount = product * rng.randint(850, 1080) // 1000 * partial // 1000
            amount += rng.randint(0, 99)
            deal_id, project_id = deal.deal_id, ""
            if deal.ship_by_project:
                deal_id, project_id = "", deal.project_id
            rows.append(
                shipment(m, deal_id, project_id, "product", amount, "ERP", "actual")
            )
            if m < 12:
                plan = truth.product_in(m + 1)
                rows.append(
                    shipment(m + 1, "", deal.project_id, "product", plan, "APS", "plan")
                )

    for project in year.wip_projects:
        planned = project.planned().get(m)
        if planned:
            amount = planned * rng.randint(700, 1100) // 1000 * partial // 1000
            rows.append(
                shipment(m, "", project.project_id, "mold", amount, "ERP", "actual")
            )
    return rows


def shipment(
    m: int, deal_id: str, project_id: str, kind: str, fen: int, source: str, plan: str
) -> list[str]:
    """One row of the shipments extract."""
    return [f"{YEAR}-{m:02d}", deal_id, project_id, kind, money(fen), source, plan]


def current_forecast(deal: Deal, at: date) -> Submission | None:
    """SPEC §4: the latest precision submission by `at`, else the latest rolling."""
    for version in ("precision", "rolling"):
        dated = [
            s
            for s in deal.submissions
            if s.version == version and s.submitted_at.date() <= at
        ]
        if dated:
            return max(dated, key=lambda s: s.submitted_at)
    return None


def manager_figures(year: Year) -> dict[str, dict[str, dict[str, int]]]:
    """Per track and integrated account manager at AS_OF: committed revenue (E of
    mass production and mold development deals, SPEC §4) and the weighted
    pipeline of opportunities.

    Recomputed from the simulation itself, so that the targets set the story.
    """
    weights = {"L Potential": 250, "M Potential": 500, "H Potential": 750}
    now = month_index(AS_OF)
    actual = actual_sales(year, now - 1)
    figures = {
        track: {name: {"committed": 0, "weighted_pipeline": 0} for name in p.managers}
        for track, p in TRACKS.items()
    }
    for deal in year.deals:
        state = deal.state(AS_OF)
        if deal.line != "integrated" or state is None or state[1] == "Lost":
            continue

        phase, stage = state
        current = current_forecast(deal, AS_OF)
        rows = current.rows if current else {}
        open_sales = sum(r.sales for m, r in rows.items() if m >= now)
        mine = figures[deal.track][deal.manager]
        if phase == "机会" and stage != "Secured":
            mine["weighted_pipeline"] += open_sales * weights[stage] // 1000
        else:
            mine["committed"] += actual.get(deal.deal_id, 0) + open_sales
    return figures


def story_figures(year: Year) -> dict[str, dict[str, int]]:
    """Per track at AS_OF: committed revenue and weighted pipeline, the sums of
    `manager_figures` over the track's managers."""
    return {
        track: {
            key: sum(f[key] for f in managers.values())
            for key in ("committed", "weighted_pipeline")
        }
        for track, managers in manager_figures(year).items()
    }


def actual_sales(year: Year, through: int) -> dict[str, int]:
    """Actual shipments per deal over months 1…through, as the files say."""
    by_project = {d.project_id: d.deal_id for d in year.deals if d.project_id}
    totals: dict[str, int] = {}
    for m in range(1, through + 1):
        for month, deal_id, project_id, _, amount, _, plan in shipment_rows(year, m):
            if plan == "actual" and month == f"{YEAR}-{m:02d}":
                owner = deal_id or by_project.get(project_id, "")
                if owner:
                    totals[owner] = totals.get(owner, 0) + parse_money(amount)
    return totals


def parse_money(text: str) -> int:
    """Fen from a written amount such as 1,234.50."""
    whole, cents = text.replace(",", "").split(".")
    return int(whole) * YUAN + int(cents)


def sales_targets(year: Year) -> dict[str, list[int]]:
    """Monthly integrated sales targets per track, set so the story holds at AS_OF."""
    # Limitation: the targets rest on story_figures' own reading of SPEC §4 —
    # if the definitions change, regenerate and re-run tests/sample_data.
    figures = story_figures(year)
    targets: dict[str, list[int]] = {}
    for track, (kind, permille) in TARGET_STORY.items():
        committed = figures[track]["committed"]
        pipeline = figures[track]["weighted_pipeline"]
        if kind == "over":
            annual = committed * permille // 1000
        elif kind == "coverage":
            annual = committed + pipeline * 1000 // permille
        else:
            # Short: the gap is at least twice the weighted pipeline (coverage
            # at most 0.5) and at least 8 % of what is committed.
            annual = committed + max(2 * pipeline, committed * 8 // 100)
        targets[track] = spread(round_to(annual, WAN), TRACKS[track].season, WAN)
    return targets


def spread(annual: int, weights: Sequence[int], unit: int) -> list[int]:
    """Split an annual amount over 12 months by weight, rounded; December balances."""
    total_weight = sum(weights)
    months = [round_to(annual * w // total_weight, unit) for w in weights[:11]]
    return [*months, annual - sum(months)]


def manager_sales_targets(year: Year) -> dict[str, dict[str, list[int]]]:
    """Monthly integrated sales targets per track and account manager.

    Each month of a track's target (`sales_targets`) is split among the track's
    managers in proportion to what they hold at AS_OF (committed revenue plus
    weighted pipeline), so that their commitments add up to the track's target.
    """
    # Limitation: the shares are read at AS_OF, like the track targets, not at
    # the start of the year — bites if the sample is read as a January plan.
    by_track = sales_targets(year)
    figures = manager_figures(year)
    targets: dict[str, dict[str, list[int]]] = {}
    for track, monthly in by_track.items():
        weights = {
            manager: f["committed"] + f["weighted_pipeline"]
            for manager, f in figures[track].items()
        }
        shares = [split(amount, weights, YUAN) for amount in monthly]
        targets[track] = {name: [s[name] for s in shares] for name in weights}
    return targets


def split(amount: int, weights: dict[str, int], unit: int) -> dict[str, int]:
    """Split an amount by weight, each share rounded down to a multiple of unit;
    the largest weight (the first on a tie) takes the remainder, so the shares
    add up to the amount exactly. All-zero weights split evenly."""
    if not any(weights.values()):
        weights = dict.fromkeys(weights, 1)
    total_weight = sum(weights.values())
    shares = {
        name: amount * weight // total_weight // unit * unit
        for name, weight in weights.items()
    }
    largest = max(weights, key=lambda name: weights[name])
    shares[largest] += amount - sum(shares.values())
    return shares


def order_targets(year: Year) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Monthly commodity order targets by manager and by profit center.

    A manager's targets are set so that orders dated ≤ AS_OF against the
    targets of months 1…11 give the attainment in COMMODITY_ATTAINMENT; the
    profit centers split the same monthly totals by their share of the orders.
    """
    now = month_index(AS_OF)
    by_manager_orders = {name: 0 for name in COMMODITY_MANAGERS}
    by_center_orders = {name: 0 for name in PROFIT_CENTERS_COMMODITY}
    for deal in year.deals:
        won = deal.secured_on and deal.secured_on.year == YEAR
        if deal.line == "commodity" and won and deal.truth:
            by_manager_orders[deal.manager] += deal.truth.value
            by_center_orders[deal.profit_center] += deal.truth.value
    for order in year.repeat_orders:
        by_manager_orders[order.manager] += order.amount
        by_center_orders[order.profit_center] += order.amount

    weights = (950, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1050, 1100)
    by_manager = {}
    for manager, ordered in by_manager_orders.items():
        ytd_target = ordered * 1000 // COMMODITY_ATTAINMENT[manager]
        annual = ytd_target * sum(weights) // sum(weights[:now])
        by_manager[manager] = spread(round_to(annual, WAN), weights, WAN)

    all_orders = sum(by_center_orders.values())
    centers = list(by_center_orders)
    by_center: dict[str, list[int]] = {c: [] for c in centers}
    for m in range(12):
        total = sum(t[m] for t in by_manager.values())
        left = total
        for center in centers[:-1]:
            share = round_to(total * by_center_orders[center] // all_orders, WAN)
            by_center[center].append(share)
            left -= share
        by_center[centers[-1]].append(left)
    return by_manager, by_center


def version_differences(year: Year) -> dict[str, str]:
    """Per deal with a precision version: identical, or the SPEC §5 direction
    (total sales, then order amount: shortfall, upside, else reshaped)."""
    found: dict[str, str] = {}
    for deal in year.deals:
        for precision in (s for s in deal.submissions if s.version == "precision"):
            rolling = max(
                (
                    s
                    for s in deal.submissions
                    if s.version == "rolling"
                    and s.submitted_at <= precision.submitted_at
                ),
                key=lambda s: s.submitted_at,
            )
            totals = [
                (
                    sum(r.sales for r in sub.rows.values()),
                    sum(r.order for r in sub.rows.values()),
                )
                for sub in (precision, rolling)
            ]
            if precision.rows == rolling.rows:
                found[deal.deal_id] = "identical"
            elif totals[0] < totals[1]:
                found[deal.deal_id] = "shortfall"
            elif totals[0] > totals[1]:
                found[deal.deal_id] = "upside"
            else:
                found[deal.deal_id] = "reshaped"
    return found


def unquoted_november_bookings(year: Year) -> list[str]:
    """Opportunities whose current forecast books an order in AS_OF's month with
    no quote at H Potential or later by AS_OF: what the 25th rule catches."""
    now = month_index(AS_OF)
    found = []
    for deal in year.deals:
        state = deal.state(AS_OF)
        if deal.line != "integrated" or state is None or state[0] != "机会":
            continue
        if state[1] not in ("L Potential", "M Potential", "H Potential"):
            continue
        current = current_forecast(deal, AS_OF)
        books = current is not None and current.rows.get(now, Row()).order > 0
        quoted = any(
            stage in ("H Potential", "Secured") and quoted_on <= AS_OF
            for quoted_on, stage, _ in deal.quotes
        )
        if books and not quoted:
            found.append(deal.deal_id)
    return found


def check_story(year: Year) -> None:
    """Refuse to write a sample that no longer tells the story docs/sample.md tells."""
    kinds = set(version_differences(year).values())
    missing = {"identical", "shortfall", "upside", "reshaped"} - kinds
    if missing:
        raise SystemExit(
            f"no precision version is {sorted(missing)}: retune the sample"
        )
    if not unquoted_november_bookings(year):
        raise SystemExit("no November booking lacks an H Potential quote: retune")
    figures = story_figures(year)
    for track, (kind, _) in TARGET_STORY.items():
        if kind == "coverage" and figures[track]["weighted_pipeline"] <= 0:
            raise SystemExit(f"{track} has no weighted pipeline to cover its gap")
    for track, managers in manager_sales_targets(year).items():
        for manager, monthly in managers.items():
            if sum(monthly) <= 0:
                raise SystemExit(f"{manager} ({track}) has no sales target: retune")


class Writer:
    """Writes the year's extracts in the formats the group's systems send."""

    def __init__(self, year: Year, out: Path) -> None:
        self.year = year
        self.out = out

    def write(self) -> None:
        """Every file of the sample, from scratch."""
        self.out.mkdir(parents=True, exist_ok=True)
        self._users()
        self._targets()
        self._wip_plan(self.out / "wip_plan.csv", date(YEAR, 1, 1), range(1, 13))
        self._wip_plan(self.out / "07" / "wip_plan.csv", date(YEAR, 7, 1), range(7, 13))

        previous: date | None = None
        for m in range(1, month_index(AS_OF) + 1):
            month_dir = self.out / f"{m:02d}"
            for pulled in (date(YEAR, m, EARLY_PULL_DAY), min(month_last(m), AS_OF)):
                self._crm_pull(month_dir / f"{pulled.day:02d}", previous, pulled)
                previous = pulled
            self._orders(month_dir / "orders.csv", m)
            write_csv(
                month_dir / "shipments.csv",
                [
                    "month",
                    "deal_id",
                    "project_id",
                    "kind",
                    "amount",
                    "source",
                    "plan_or_actual",
                ],
                shipment_rows(self.year, m),
                encoding="utf-8",
            )

    def _crm_pull(self, folder: Path, since: date | None, until: date) -> None:
        """Deals as they stand at `until`; submissions and quotes since `since`."""
        deals = [d for d in self.year.deals if d.created <= until]
        write_csv(
            folder / "deals.csv",
            DEAL_HEADER,
            [deal_row(deal, until) for deal in deals],
            encoding="gb18030",
            crlf=True,
        )

        def fresh(moment: date) -> bool:
            return (since is None or moment > since) and moment <= until

        forecast_rows = [
            [
                deal.deal_id,
                "滚动" if sub.version == "rolling" else "精度",
                sub.submitted_at.strftime("%Y-%m-%d %H:%M"),
                f"{YEAR}-{m:02d}",
                money(r.order),
                str(r.sets),
                money(r.mold),
                money(r.product),
            ]
            for deal in deals
            for sub in sorted(deal.submissions, key=lambda s: s.submitted_at)
            if fresh(sub.submitted_at.date())
            for m, r in sub.rows.items()
        ]
        if forecast_rows:
            write_csv(
                folder / "forecasts.csv",
                FORECAST_HEADER,
                forecast_rows,
                encoding="utf-8-sig",
                crlf=True,
            )

        quote_rows: list[list[object]] = []
        for deal in deals:
            for n, (quoted_on, stage, amount) in enumerate(deal.quotes, start=1):
                if fresh(quoted_on):
                    quote_id = f"QT-{deal.deal_id[4:]}-{n:02d}"
                    quote_rows.append(
                        [quote_id, deal.deal_id, stage, quoted_on, amount]
                    )
        quote_rows.sort(key=lambda row: (str(row[3]), str(row[0])))
        if quote_rows:
            write_xlsx(
                folder / "quotes.xlsx", "报价", QUOTE_HEADER, quote_rows, money_col=4
            )

    def _orders(self, path: Path, m: int) -> None:
        """SAP orders of month m: won deals of both lines, commodity repeat orders."""
        orders: list[tuple[date, str, str, Deal | None, RepeatOrder | None]] = []
        for deal in self.year.deals:
            if deal.secured_on and month_index(deal.secured_on) == m and deal.truth:
                orders.append((deal.secured_on, deal.deal_id, "", deal, None))
        for order in self.year.repeat_orders:
            if month_index(order.order_date) == m:
                orders.append((order.order_date, "", order.customer, None, order))
        orders.sort(key=lambda o: (o[0], o[1], o[2], o[4].amount if o[4] else 0))

        rows = []
        for n, (day, deal_id, _, won, repeat) in enumerate(orders, start=1):
            if won is not None:
                assert won.truth is not None
                line, manager, amount = won.line, won.manager, won.truth.value
                track, center, customer = won.track, won.profit_center, won.customer
            else:
                assert repeat is not None
                line, manager, amount = "commodity", repeat.manager, repeat.amount
                track = COMMODITY_MANAGERS[manager][0]
                center, customer = repeat.profit_center, repeat.customer
            rows.append(
                [
                    str(2100000000 + m * 1000 + n),
                    day.isoformat(),
                    "1000" if line == "integrated" else "2000",
                    "10",
                    "模塑一体" if line == "integrated" else "商品模",
                    track,
                    manager,
                    center,
                    customer,
                    deal_id,
                    money(amount, separators=True),
                    "CNY",
                ]
            )
        write_csv(path, ORDER_HEADER, rows, encoding="utf-8")

    def _wip_plan(self, path: Path, known_by: date, months: range) -> None:
        """The WIP sales plan as operations set it on `known_by`, for `months`."""
        rows = []
        for project in self.year.wip_projects:
            if project.opened_on and project.opened_on >= known_by:
                continue
            for m, amount in project.planned().items():
                if m not in months:
                    continue
                if known_by.month > 1 and project.opened_on is None:
                    # Operations re-phased the old projects in July.
                    factor = 900 + int(project.project_id[-3:]) * 37 % 200
                    amount = scale(amount, factor, 1000 * YUAN)
                rows.append(
                    (
                        m,
                        project.project_id,
                        project.track,
                        project.profit_center,
                        amount,
                    )
                )
        rows.sort()
        write_csv(
            path,
            ["月份", "项目编号", "赛道", "利润中心", "计划销售金额"],
            [[f"{YEAR}年{m}月", p, t, c, money(a)] for m, p, t, c, a in rows],
            encoding="gb18030",
            crlf=True,
        )

    def _users(self) -> None:
        rows = [
            [CEO, "ceo", "", ""],
            [ADMIN, "admin", "", ""],
            [ANALYST, "analyst", "", ""],
        ]
        for track, profile in TRACKS.items():
            rows.append([profile.director, "track_director", track, ""])
        managers = [m for p in TRACKS.values() for m in p.managers]
        for manager in [*managers, *COMMODITY_MANAGERS]:
            rows.append([manager, "account_manager", "", manager])
        write_csv(
            self.out / "users.csv",
            ["name", "role", "tracks", "account_manager"],
            rows,
            encoding="utf-8",
        )

    def _targets(self) -> None:
        """Sales targets by track and manager; order targets by manager and by
        profit center."""
        rows: list[list[object]] = []
        for track, managers in manager_sales_targets(self.year).items():
            for manager, monthly in managers.items():
                for m, amount in enumerate(monthly, start=1):
                    row = [YEAR, "模塑一体", "销售", m, track, manager, "", amount]
                    rows.append(row)

        by_manager, by_center = order_targets(self.year)
        for manager, monthly in by_manager.items():
            track = COMMODITY_MANAGERS[manager][0]
            for m, amount in enumerate(monthly, start=1):
                rows.append([YEAR, "商品模", "接单", m, track, manager, "", amount])
        for center, monthly in by_center.items():
            for m, amount in enumerate(monthly, start=1):
                rows.append([YEAR, "商品模", "接单", m, "", "", center, amount])
        write_xlsx(self.out / "targets.xlsx", "目标", TARGET_HEADER, rows, money_col=7)


DEAL_HEADER = [
    "商机编号",
    "商机名称",
    "业务类型",
    "赛道",
    "客户经理",
    "利润中心",
    "客户",
    "商机类型",
    "商机阶段",
    "创建日期",
    "Secured日期",
    "项目编号",
    "计划量产日期",
    "商机来源",  # not used by the product: kept aside by the loader
]
FORECAST_HEADER = [
    "商机编号",
    "预测版本",
    "提交时间",
    "月份",
    "接单金额",
    "模具套数",
    "模具销售金额",
    "产品销售金额",
]
QUOTE_HEADER = ["报价编号", "商机编号", "报价阶段", "报价日期", "报价金额"]
TARGET_HEADER = [
    "年份",
    "业务类型",
    "指标",
    "月份",
    "赛道",
    "客户经理",
    "利润中心",
    "目标金额",
]
# SAP's own column names where it has them; the custom fields use the aliases.
ORDER_HEADER = [
    "Sales Document",
    "Document Date",
    "Sales Org.",
    "Distr. Channel",
    "business_line",
    "track",
    "account_manager",
    "profit_center",
    "Sold-To Party",
    "deal_id",
    "Net Value",
    "Currency",
]


def deal_row(deal: Deal, at: date) -> list[str]:
    """A deal as the CRM shows it at the end of day `at`."""
    state = deal.state(at)
    assert state is not None
    phase, stage = state
    has_project = bool(deal.project_on and deal.project_on <= at)
    secured = deal.secured_on if deal.won_by(at) else None
    return [
        deal.deal_id,
        deal.name,
        "模塑一体" if deal.line == "integrated" else "商品模",
        deal.track,
        deal.manager,
        deal.profit_center,
        deal.customer,
        phase,
        stage,
        slash_date(deal.created),
        slash_date(secured) if secured else "",
        deal.project_id if has_project else "",
        chinese_date(deal.mp_on) if has_project and deal.mp_on else "",
        deal.origin,
    ]


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    encoding: str,
    crlf: bool = False,
) -> None:
    """A CSV as the source system saves it (Excel on Windows ends lines in CRLF)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(
    path: Path,
    sheet: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    money_col: int,
) -> None:
    """An XLSX with date cells and number cells, reproducible byte for byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    # A fixed creation time keeps the file identical from one run to the next.
    workbook.set_properties({"author": "CRM", "created": datetime(YEAR, 11, 27, 18)})
    date_cell = workbook.add_format({"num_format": "yyyy/m/d"})
    money_cell = workbook.add_format({"num_format": "#,##0.00"})
    worksheet = workbook.add_worksheet(sheet)
    worksheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                moment = datetime.combine(value, datetime.min.time())
                worksheet.write_datetime(r, c, moment, date_cell)
            elif c == money_col:
                # xlsxwriter prints a Decimal as it is: no binary float on the way.
                assert isinstance(value, int)
                worksheet.write_number(r, c, Decimal(value) / YUAN, money_cell)
            else:
                worksheet.write(r, c, value)
    workbook.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Write the sample year into --out (default sample_data/2026)."""
    parser = argparse.ArgumentParser(description="Generate the sample year 2026.")
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT)
    args = parser.parse_args(argv)

    year = Year()
    year.build()
    check_story(year)
    Writer(year, args.out).write()

    print(f"wrote {args.out}: {len(year.deals)} deals")
    for track, figures in story_figures(year).items():
        committed = money(figures["committed"], separators=True)
        pipeline = money(figures["weighted_pipeline"], separators=True)
        print(f"  {track}: committed {committed}, weighted pipeline {pipeline}")
    kinds = list(version_differences(year).values())
    print("  precision versions:", {k: kinds.count(k) for k in sorted(set(kinds))})
    print("  November bookings without H Potential:", unquoted_november_bookings(year))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
