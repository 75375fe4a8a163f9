"""Plotly figures the pages share: the gap waterfall, the coverage gauge, trends.

Figures take amounts in CNY as Decimal and plot them in 万元; labels come from
the catalogue, so Chinese and English both render. Plotly serialises Decimal
for the browser; no figure here does arithmetic on money in floats.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go

from ui import format as fmt
from ui.i18n import lang, t

GREEN = "#2e7d32"
RED = "#c62828"
AMBER = "#ef6c00"
BLUE = "#1565c0"
GREY = "#9e9e9e"
LIGHT_GREEN = "#c8e6c9"
LIGHT_RED = "#ffcdd2"

_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "font": {"family": "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"},
    "legend": {"orientation": "h", "y": -0.15},
}


def _layout(figure: go.Figure, title: str, height: int = 340) -> go.Figure:
    figure.update_layout(title=_text(title), height=height, **_LAYOUT)
    return figure


def _text(value: str) -> str:
    # Plotly reads <b>, <a href> and entities in labels: names from the data
    # (tracks, customers, managers) are escaped so that they show as written.
    return html.escape(str(value), quote=False)


def gap_waterfall(
    target: Decimal, mp_expected: Decimal, mold_expected: Decimal, gap: Decimal
) -> go.Figure:
    """Target → − expected MP → − expected mold development → remaining gap (万元)."""
    values = [fmt.wan(target), fmt.wan(-mp_expected), fmt.wan(-mold_expected), None]
    labels = [
        fmt.money(target, lang()),
        fmt.money(-mp_expected, lang()),
        fmt.money(-mold_expected, lang()),
        fmt.money(gap, lang()),
    ]
    figure = go.Figure(
        go.Waterfall(
            x=[
                t("metric.target"),
                t("metric.mp_expected"),
                t("metric.mold_expected"),
                t("metric.gap"),
            ],
            y=values,
            measure=["absolute", "relative", "relative", "total"],
            text=labels,
            textposition="outside",
            connector={"line": {"color": GREY}},
            increasing={"marker": {"color": BLUE}},
            decreasing={"marker": {"color": GREEN}},
            totals={"marker": {"color": RED if gap > 0 else GREEN}},
        )
    )
    figure.update_yaxes(title=t("unit.wan"), tickformat=",.0f")
    return _layout(figure, t("chart.waterfall"))


def coverage_gauge(coverage: Decimal | None, threshold: Decimal) -> go.Figure:
    """Coverage (weighted pipeline ÷ gap) on a gauge with the healthy line."""
    value = coverage if coverage is not None else Decimal(0)
    top = max(Decimal(3), threshold * 2, value * Decimal("1.2"))
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=value,
            number={"suffix": "×", "valueformat": ".2f"},
            gauge={
                "axis": {"range": [0, top]},
                "bar": {"color": GREEN if value >= threshold else RED},
                "steps": [
                    {"range": [0, threshold], "color": LIGHT_RED},
                    {"range": [threshold, top], "color": LIGHT_GREEN},
                ],
                "threshold": {
                    "line": {"color": "black", "width": 3},
                    "thickness": 0.8,
                    "value": threshold,
                },
            },
        )
    )
    return _layout(figure, t("chart.coverage", threshold=threshold), height=300)


def accuracy_trend(
    months: Sequence[str],
    weighted: Sequence[Decimal | None],
    threshold: Decimal,
) -> go.Figure:
    """Weighted accuracy by closed month, the alert line, and gaps where missing."""
    shares = [None if value is None else value * 100 for value in weighted]
    missing = [m for m, value in zip(months, weighted, strict=True) if value is None]
    figure = go.Figure(
        go.Scatter(
            x=list(months),
            y=shares,
            mode="lines+markers+text",
            text=[
                fmt.percent(value) if value is not None else "" for value in weighted
            ],
            textposition="top center",
            connectgaps=False,
            name=t("metric.weighted_accuracy"),
            line={"color": BLUE},
        )
    )
    if missing:
        figure.add_trace(
            go.Scatter(
                x=missing,
                y=[threshold * 100] * len(missing),
                mode="markers",
                marker={"symbol": "x-open", "size": 10, "color": GREY},
                name=t("accuracy.no_snapshot"),
                hovertext=[t("accuracy.no_snapshot")] * len(missing),
            )
        )
    figure.add_hline(
        y=threshold * 100,
        line_dash="dash",
        line_color=RED,
        annotation_text=t("chart.accuracy_line", threshold=fmt.percent(threshold)),
    )
    # Start the axis near the lowest month so that the movement stays visible.
    known = [value for value in shares if value is not None]
    low = min([*known, threshold * 100]) if known else threshold * 100
    figure.update_yaxes(title="%", range=[max(0, float(low) - 15), 105])
    figure.update_xaxes(type="category")
    return _layout(figure, t("chart.accuracy"))


def versions_by_month(
    months: Sequence[date],
    rolling: Sequence[Decimal],
    precision: Sequence[Decimal],
    title: str,
) -> go.Figure:
    """Rolling and precision forecast sales side by side per month (万元)."""
    labels = [fmt.month_label(m) for m in months]
    figure = go.Figure(
        [
            go.Bar(
                x=labels,
                y=[fmt.wan(v) for v in rolling],
                name=t("version.rolling"),
                marker_color=GREY,
            ),
            go.Bar(
                x=labels,
                y=[fmt.wan(v) for v in precision],
                name=t("version.precision"),
                marker_color=BLUE,
            ),
        ]
    )
    figure.update_layout(barmode="group")
    figure.update_yaxes(title=t("unit.wan"), tickformat=",.0f")
    figure.update_xaxes(type="category")
    return _layout(figure, title)


def plan_vs_actual(
    months: Sequence[date],
    planned: Sequence[Decimal | None],
    actual: Sequence[Decimal | None],
    title: str,
    planned_name: str,
    actual_name: str,
) -> go.Figure:
    """A plan (or target) as bars against actuals as a line, per month (万元)."""
    labels = [fmt.month_label(m) for m in months]
    figure = go.Figure(
        [
            go.Bar(
                x=labels,
                y=[fmt.wan(v) for v in planned],
                name=planned_name,
                marker_color=GREY,
            ),
            go.Scatter(
                x=labels,
                y=[fmt.wan(v) for v in actual],
                name=actual_name,
                mode="lines+markers",
                line={"color": BLUE},
            ),
        ]
    )
    figure.update_yaxes(title=t("unit.wan"), tickformat=",.0f")
    figure.update_xaxes(type="category")
    return _layout(figure, title)


def stacked_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[Decimal]],
    title: str,
    horizontal: bool = False,
) -> go.Figure:
    """Amounts per category stacked by series (万元), e.g. won mold vs product sales."""
    palette = [BLUE, AMBER, GREEN, GREY, RED]
    bars = []
    for index, (name, values) in enumerate(series.items()):
        amounts = [fmt.wan(v) for v in values]
        bars.append(
            go.Bar(
                x=amounts if horizontal else [_text(c) for c in categories],
                y=[_text(c) for c in categories] if horizontal else amounts,
                name=name,
                orientation="h" if horizontal else "v",
                marker_color=palette[index % len(palette)],
            )
        )
    figure = go.Figure(bars)
    figure.update_layout(barmode="stack")
    axis = figure.update_xaxes if horizontal else figure.update_yaxes
    axis(title=t("unit.wan"), tickformat=",.0f")
    return _layout(
        figure, title, height=max(340, 28 * len(categories)) if horizontal else 340
    )


def coverage_by_track(
    tracks: Sequence[str], coverages: Sequence[Decimal | None], threshold: Decimal
) -> go.Figure:
    """Coverage of each track that has a gap, against the healthy line."""
    shown = [
        (name, c) for name, c in zip(tracks, coverages, strict=True) if c is not None
    ]
    figure = go.Figure(
        go.Bar(
            x=[c for _, c in shown],
            y=[_text(name) for name, _ in shown],
            orientation="h",
            marker_color=[GREEN if c >= threshold else RED for _, c in shown],
            text=[fmt.ratio(c, lang()) for _, c in shown],
            textposition="outside",
        )
    )
    figure.add_vline(x=threshold, line_dash="dash", line_color="black")
    figure.update_xaxes(rangemode="tozero")
    return _layout(
        figure,
        t("chart.coverage_by_track", threshold=threshold),
        height=max(240, 60 + 40 * len(shown)),
    )
