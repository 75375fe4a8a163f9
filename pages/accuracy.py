"""准确率 Accuracy: weighted accuracy by month and track, per stage, with bias."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import t, term

PHASES = ("opportunity", "mold_development", "mass_production")

view = sidebar.current()
navigation.require_page(view.actor, "accuracy")
settings = data.settings()
st.title(t("page.accuracy"))
st.caption(t("accuracy.caption", threshold=fmt.percent(settings.accuracy_threshold)))

rows = data.accuracy_by_month(view.scope)
if not rows:
    st.info(t("accuracy.none"))
    st.stop()

total_label = t("common.total")
grid = pl.DataFrame(
    {
        "month": [row.month for row in rows],
        "track": [row.track or total_label for row in rows],
        "weighted": [
            fmt.in_percent(row.accuracy.weighted) if row.accuracy else None
            for row in rows
        ],
    },
    schema={"month": pl.String, "track": pl.String, "weighted": pl.Decimal(18, 1)},
).pivot(on="track", index="month", values="weighted", maintain_order=True)
st.subheader(t("accuracy.grid"))
tables.show(
    grid,
    {
        column: st.column_config.TextColumn(t("col.month"))
        if column == "month"
        else fmt.percent_column(column)
        for column in grid.columns
    },
)

tracks = [total_label] + sorted({row.track for row in rows if row.track})
left, right = st.columns(2)
track = left.selectbox(t("col.track"), tracks, key="accuracy_track")
chosen = [row for row in rows if (row.track or total_label) == track]
left.plotly_chart(
    charts.accuracy_trend(
        [row.month for row in chosen],
        [row.accuracy.weighted if row.accuracy else None for row in chosen],
        settings.accuracy_threshold,
    ),
    width="stretch",
)

with right:
    months = [row.month for row in chosen if row.accuracy is not None]
    if not months:
        st.info(t("accuracy.none"))
        st.stop()
    month = st.selectbox(t("col.month"), months[::-1], key="accuracy_month")
    accuracy = next(row.accuracy for row in chosen if row.month == month)
    st.metric(
        t("metric.weighted_accuracy"),
        fmt.percent(accuracy.weighted),
        help=t("help.accuracy", threshold=fmt.percent(settings.accuracy_threshold)),
    )
    stages = pl.DataFrame(
        {
            "phase": [term("phase", phase) for phase in PHASES],
            "weight": [settings.accuracy_weights[phase] for phase in PHASES],
            "accuracy": [fmt.percent(accuracy.stage(p).accuracy) for p in PHASES],
            "bias": [fmt.percent(accuracy.stage(p).bias) for p in PHASES],
            "forecast": [fmt.wan(accuracy.stage(p).forecast) for p in PHASES],
            "actual": [fmt.wan(accuracy.stage(p).actual) for p in PHASES],
            "deals": [accuracy.stage(p).deals for p in PHASES],
        }
    )
    tables.show(
        stages,
        {
            "phase": st.column_config.TextColumn(t("col.phase")),
            "weight": st.column_config.NumberColumn(t("accuracy.weight")),
            "accuracy": st.column_config.TextColumn(t("accuracy.accuracy")),
            "bias": st.column_config.TextColumn(
                t("accuracy.bias"), help=t("accuracy.bias_help")
            ),
            "forecast": fmt.money_column(t("accuracy.forecast")),
            "actual": fmt.money_column(t("accuracy.actual")),
            "deals": st.column_config.NumberColumn(t("col.deals")),
        },
    )
