"""The key figures of a board as st.metric tiles, each with its formula as help."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from rules.settings import Settings
from ui import format as fmt
from ui.i18n import lang, t

if TYPE_CHECKING:
    from rules.commodity import OrderAttainment
    from warehouse.board import IntegratedBoard


def key_figures(
    board: IntegratedBoard, as_of: date, remaining_months: int, settings: Settings
) -> None:
    """The eight key figures of an integrated board: from target to converted."""
    m = board.metrics
    language = lang()
    m0 = as_of.month
    weights = "、".join(
        f"{stage[0]} {weight}" for stage, weight in settings.stage_weights.items()
    )

    first = st.columns(4)
    first[0].metric(
        t("metric.target"),
        fmt.money(m.target, language),
        help=t("help.target", year=as_of.year),
    )
    first[1].metric(
        t("metric.mp_expected"),
        fmt.money(m.mp_expected, language),
        help=t("help.mp_expected", m0=m0),
    )
    first[2].metric(
        t("metric.mold_expected"),
        fmt.money(m.mold_expected, language),
        help=t("help.mold_expected"),
    )
    first[3].metric(t("metric.gap"), fmt.money(m.gap, language), help=t("help.gap"))

    second = st.columns(4)
    second[0].metric(
        t("metric.weighted_pipeline"),
        fmt.money(m.weighted_pipeline, language),
        help=t(
            "help.weighted_pipeline",
            m0=m0,
            weights=weights,
            pipeline=fmt.money(m.pipeline, language),
        ),
    )
    healthy = m.coverage_status == "healthy"
    second[1].metric(
        t("metric.coverage"),
        fmt.ratio(m.coverage, language)
        if m.coverage is not None
        else t("status.not_applicable"),
        delta=t(f"status.{m.coverage_status}"),
        delta_color="normal" if healthy else "inverse",
        delta_arrow="off",
        help=t("help.coverage", threshold=settings.coverage_threshold),
    )
    second[2].metric(
        t("metric.monthly_pace"),
        fmt.money(m.monthly_pace, language),
        help=t("help.monthly_pace", remaining=remaining_months),
    )
    ahead = m.converted_this_month - m.monthly_pace
    second[3].metric(
        t("metric.converted_this_month"),
        fmt.money(m.converted_this_month, language),
        delta=("+" if ahead >= 0 else "") + fmt.money(ahead, language),
        help=t("help.converted_this_month", m0=m0),
    )


def accuracy_figure(board: IntegratedBoard, settings: Settings) -> None:
    """The latest closed month's weighted accuracy against the alert threshold."""
    accuracy = board.accuracy
    if accuracy is None:
        st.metric(
            t("metric.no_accuracy"),
            fmt.MISSING,
            help=t("help.accuracy", threshold=fmt.percent(settings.accuracy_threshold)),
        )
        return

    below = accuracy.weighted < settings.accuracy_threshold
    st.metric(
        t("metric.latest_accuracy", month=accuracy.month),
        fmt.percent(accuracy.weighted),
        delta=t("status.alert") if below else t("status.healthy"),
        delta_color="inverse" if below else "normal",
        delta_arrow="off",
        help=t("help.accuracy", threshold=fmt.percent(settings.accuracy_threshold)),
    )


def commodity_figures(attainment: OrderAttainment, as_of: date) -> None:
    """Commodity order target, orders and attainment, year to date."""
    language = lang()
    columns = st.columns(3)
    columns[0].metric(
        t("metric.order_target_ytd"),
        fmt.money(attainment.order_target, language),
        help=t("help.order_attainment", m0=as_of.month),
    )
    columns[1].metric(
        t("metric.orders_ytd"),
        fmt.money(attainment.orders, language),
        help=t("help.order_attainment", m0=as_of.month),
    )
    columns[2].metric(
        t("metric.order_attainment_ytd"),
        fmt.percent(attainment.attainment),
        help=t("help.order_attainment", m0=as_of.month),
    )
