"""总览 Overview: the CEO's board for the monthly supervision meeting."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, errors, metrics, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import t, term
from warehouse.access import allowed


def handoff_downloads(
    scope: data.Scope, kind: str, what: str, formats: tuple[str, ...]
) -> None:
    """A build button and a download button per format of one hand-off file."""
    # Every build is audited and the PDF takes seconds: build on a click only,
    # then offer the bytes kept in the session for this as-of, format and user.
    for column, file_format in zip(st.columns(len(formats)), formats, strict=True):
        label = file_format.upper()
        with column:
            if st.button(
                t("handoff.build", what=what, format=label),
                key=f"{kind}_build_{file_format}",
            ):
                with (
                    st.spinner(t("handoff.building", what=what, format=label)),
                    errors.shown(),
                ):
                    data.build_handoff(kind, scope, file_format)

            built = data.built_handoff(kind, scope, file_format)
            st.download_button(
                t("handoff.download", what=what, format=label),
                data=built.content if built else b"",
                file_name=built.file_name if built else None,
                mime=built.mime if built else None,
                disabled=built is None,
                on_click="ignore",
                key=f"{kind}_download_{file_format}",
            )
            if built is not None:
                st.caption(
                    t("handoff.built_at", time=built.built_at.strftime("%H:%M:%S"))
                )


view = sidebar.current()
navigation.require_page(view.actor, "overview")
settings = data.settings()
board = data.board(view.scope)
total = board.integrated_total

st.title(t("overview.title"))
st.caption(
    t(
        "common.as_of_caption",
        as_of=view.as_of,
        year=board.year,
        remaining=board.remaining_months,
    )
)

metrics.key_figures(total, view.as_of, board.remaining_months, settings)

left, right = st.columns([3, 2])
m = total.metrics
left.plotly_chart(
    charts.gap_waterfall(m.target, m.mp_expected, m.mold_expected, m.gap),
    width="stretch",
)
with right:
    if m.coverage is None:
        st.success(t("overview.no_gap"))
    else:
        st.plotly_chart(
            charts.coverage_gauge(m.coverage, settings.coverage_threshold),
            width="stretch",
        )
    tracks = board.integrated_tracks
    coverages = [b.metrics.coverage for b in tracks.values()]
    if any(c is not None for c in coverages):
        st.plotly_chart(
            charts.coverage_by_track(
                list(tracks), coverages, settings.coverage_threshold
            ),
            width="stretch",
        )
    else:
        st.caption(t("overview.no_track_gap"))

st.subheader(t("overview.tracks"))
st.caption(t("overview.tracks_hint"))
rows = tables.board_rows(board.integrated_tracks)
columns = tables.board_columns(t("col.track"))
del columns["pipeline"]
chosen = tables.show(
    rows,
    columns,
    status="coverage_status",
    key="overview_tracks",
    select=True,
)
if chosen is not None:
    # Coming back to the overview must not bounce straight to the track again.
    st.session_state.pop("overview_tracks", None)
    st.switch_page(
        navigation.page("track"), query_params={"track": rows["name"][chosen]}
    )

left, right = st.columns(2)
with left:
    st.subheader(t("overview.accuracy"))
    metrics.accuracy_figure(total, settings)
    months = [row for row in data.accuracy_by_month(view.scope) if row.track is None]
    if months:
        st.plotly_chart(
            charts.accuracy_trend(
                [row.month for row in months],
                [row.accuracy.weighted if row.accuracy else None for row in months],
                settings.accuracy_threshold,
            ),
            width="stretch",
        )
with right:
    st.subheader(t("overview.alerts"))
    open_alerts = [a for a in data.alerts(view.scope) if a.status == "open"]
    by_track = pl.DataFrame(
        {
            "track": [a.track or t("overview.whole") for a in open_alerts],
            "overdue": [a.overdue for a in open_alerts],
        },
        schema={"track": pl.String, "overdue": pl.Boolean},
    )
    counts = by_track.group_by("track").agg(
        pl.len().alias("open"), pl.col("overdue").sum().alias("overdue")
    )
    tables.show(
        counts.sort("overdue", "open", descending=True),
        {
            "track": st.column_config.TextColumn(t("col.track")),
            "open": st.column_config.NumberColumn(t("col.open_alerts")),
            "overdue": st.column_config.NumberColumn(t("col.overdue_alerts")),
        },
    )
    st.page_link(navigation.page("alerts"), label=t("overview.to_alerts"))

st.subheader(t("overview.dimensions"))
dimensions = pl.DataFrame(
    [
        {
            "phase": term("phase", phase),
            "mold_sets": value.mold_sets,
            "mold_sales": fmt.wan(value.mold_sales),
            "product_sales": fmt.wan(value.product_sales),
        }
        for phase, value in total.dimensions.items()
    ],
    schema={
        "phase": pl.String,
        "mold_sets": pl.Int64,
        "mold_sales": pl.Decimal(18, 2),
        "product_sales": pl.Decimal(18, 2),
    },
    orient="row",
)
tables.show(
    dimensions,
    {
        "phase": st.column_config.TextColumn(t("col.phase")),
        "mold_sets": st.column_config.NumberColumn(t("col.mold_sets")),
        "mold_sales": fmt.money_column(t("col.mold_sales")),
        "product_sales": fmt.money_column(t("col.product_sales")),
    },
)
st.caption(t("overview.dimensions_hint"))

st.subheader(t("overview.commodity"))
metrics.commodity_figures(board.commodity.total, view.as_of)
st.page_link(navigation.page("commodity"), label=t("overview.to_commodity"))

if allowed(view.actor, "build_pack"):
    st.subheader(t("overview.pack"))
    st.caption(t("overview.pack_caption"))
    handoff_downloads(view.scope, "pack", t("overview.pack_what"), ("pdf", "xlsx"))

if allowed(view.actor, "export_aps"):
    st.subheader(t("overview.aps"))
    st.caption(t("overview.aps_caption"))
    handoff_downloads(view.scope, "aps", t("overview.aps_what"), ("csv", "xlsx"))
