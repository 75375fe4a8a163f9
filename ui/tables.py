"""Tables the pages share: board rows in 万元, status colours, row selection.

Amount columns stay Decimal (converted to 万元) so that sorting is numeric and
no float touches money; st.dataframe formats them with separators.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
import streamlit as st

from loaders.report import COUNT_LABELS
from ui import format as fmt
from ui.i18n import lang, t, term

_RED = "background-color: #ffcdd2"
_GREEN = "background-color: #c8e6c9"
_AMBER = "background-color: #ffe0b2"

# Status codes and their cell colours: red needs action, amber is pending.
_STATUS_COLOURS = {
    "healthy": _GREEN,
    "alert": _RED,
    "overdue": _RED,
    "open": _AMBER,
    "escalated": _AMBER,
    "handled": _GREEN,
    "shortfall": _RED,
    "upside": _GREEN,
    "requested": _AMBER,
    "approved": _AMBER,
    "rejected": _RED,
    "executed": _GREEN,
    "loaded": _GREEN,
    "rejected_load": _RED,
}


def in_wan(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """The frame with the named CNY columns converted to 万元 (Decimal, 2 places)."""
    return frame.with_columns(
        (pl.col(column).cast(pl.Decimal(38, 4)) / 10000)
        .round(2)
        .cast(pl.Decimal(18, 2))
        .alias(column)
        for column in columns
        if column in frame.columns
    )


def board_rows(boards: Mapping[str, Any]) -> pl.DataFrame:
    """One row per track (or other key) of IntegratedBoard metrics, amounts in 万元."""
    rows = []
    for name, board in boards.items():
        m = board.metrics
        accuracy = board.accuracy.weighted if board.accuracy is not None else None
        rows.append(
            {
                "name": name,
                "target": fmt.wan(m.target),
                "mp_expected": fmt.wan(m.mp_expected),
                "mold_expected": fmt.wan(m.mold_expected),
                "gap": fmt.wan(m.gap),
                "pipeline": fmt.wan(m.pipeline),
                "weighted_pipeline": fmt.wan(m.weighted_pipeline),
                "coverage": m.coverage,
                "coverage_status": m.coverage_status,
                "monthly_pace": fmt.wan(m.monthly_pace),
                "converted_this_month": fmt.wan(m.converted_this_month),
                "accuracy": fmt.in_percent(accuracy),
            }
        )
    money = pl.Decimal(18, 2)
    schema: dict[str, pl.DataType] = {
        "name": pl.String(),
        "target": money,
        "mp_expected": money,
        "mold_expected": money,
        "gap": money,
        "pipeline": money,
        "weighted_pipeline": money,
        "coverage": pl.Decimal(18, 4),
        "coverage_status": pl.String(),
        "monthly_pace": money,
        "converted_this_month": money,
        "accuracy": pl.Decimal(18, 1),
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def board_columns(first: str) -> dict[str, Any]:
    """Column settings for board_rows(): labels, 万元 formats and help."""
    return {
        "name": st.column_config.TextColumn(first),
        "target": fmt.money_column(t("metric.target")),
        "mp_expected": fmt.money_column(t("metric.mp_expected")),
        "mold_expected": fmt.money_column(t("metric.mold_expected")),
        "gap": fmt.money_column(t("metric.gap")),
        "pipeline": fmt.money_column(t("metric.pipeline")),
        "weighted_pipeline": fmt.money_column(t("metric.weighted_pipeline")),
        "coverage": fmt.ratio_column(t("metric.coverage")),
        "coverage_status": st.column_config.TextColumn(t("metric.coverage_status")),
        "monthly_pace": fmt.money_column(t("metric.monthly_pace")),
        "converted_this_month": fmt.money_column(t("metric.converted_this_month")),
        "accuracy": fmt.percent_column(t("metric.weighted_accuracy")),
    }


def show(
    frame: pl.DataFrame,
    columns: Mapping[str, Any],
    *,
    status: str | None = None,
    status_kind: str = "status",
    key: str | None = None,
    select: bool = False,
    height: int | Literal["auto"] = "auto",
) -> int | None:
    """Draw a sortable table; return the selected row's index when `select`.

    `columns` maps each column to show to its column_config; a `status`
    column holds English codes that are coloured and shown in the user's words.
    Rows keep their order, so a selected position indexes `frame` as well.
    """
    if frame.is_empty():
        st.caption(t("common.none"))
        return None

    shown = frame.select(list(columns))
    data: Any = shown
    if status is not None:
        codes = shown.get_column(status).to_list()
        table = shown.with_columns(
            pl.Series(
                status,
                [None if c is None else term(status_kind, c) for c in codes],
                dtype=pl.String,
            )
        ).to_pandas()
        data = table.style.apply(
            lambda _: [_STATUS_COLOURS.get(str(c), "") for c in codes],
            subset=[status],
            axis=0,
        )

    if not select:
        st.dataframe(
            data,
            column_config=dict(columns),
            hide_index=True,
            height=height,
            placeholder=fmt.MISSING,
        )
        return None

    state = st.dataframe(
        data,
        column_config=dict(columns),
        hide_index=True,
        height=height,
        placeholder=fmt.MISSING,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = state.selection.rows if state is not None else []
    return rows[0] if rows else None


def alert_rows(alerts: list[Any]) -> pl.DataFrame:
    """Alerts as table rows; an open alert past its due date shows as overdue."""
    return pl.DataFrame(
        {
            "alert_id": [a.alert_id for a in alerts],
            "kind": [term("kind", a.kind) for a in alerts],
            "track": [a.track or t("overview.whole") for a in alerts],
            "subject": [a.subject for a in alerts],
            "period": [a.period[:16].replace("T", " ") for a in alerts],
            "direction": [
                term("direction", a.direction) if a.direction else "" for a in alerts
            ],
            "route": [term("route", a.route) for a in alerts],
            "raised_on": [a.raised_on for a in alerts],
            "due_on": [a.due_on for a in alerts],
            "status": ["overdue" if a.overdue else a.status for a in alerts],
            "note": [a.conclusion or a.escalation_note or "" for a in alerts],
        },
        schema={
            "alert_id": pl.Int64,
            "kind": pl.String,
            "track": pl.String,
            "subject": pl.String,
            "period": pl.String,
            "direction": pl.String,
            "route": pl.String,
            "raised_on": pl.Date,
            "due_on": pl.Date,
            "status": pl.String,
            "note": pl.String,
        },
    )


def alert_columns() -> dict[str, Any]:
    """Column settings for alert_rows()."""
    return {
        "alert_id": st.column_config.NumberColumn(t("alerts.id"), format="%d"),
        "kind": st.column_config.TextColumn(t("alerts.kind")),
        "track": st.column_config.TextColumn(t("col.track")),
        "subject": st.column_config.TextColumn(t("alerts.subject")),
        "period": st.column_config.TextColumn(t("alerts.period")),
        "direction": st.column_config.TextColumn(t("alerts.direction")),
        "route": st.column_config.TextColumn(t("alerts.route")),
        "raised_on": fmt.date_column(t("alerts.raised_on")),
        "due_on": fmt.date_column(t("alerts.due_on")),
        "status": st.column_config.TextColumn(t("col.status")),
        "note": st.column_config.TextColumn(t("alerts.note"), width="large"),
    }


def trace_table(events: list[Any]) -> None:
    """A deal's year-end trace: every revision, snapshot, migration and baseline."""
    show(
        pl.DataFrame(
            {
                "at": [event.at for event in events],
                "kind": [t(f"trace.{event.kind}") for event in events],
                "summary": [event.text(lang()) for event in events],
            },
            schema={"at": pl.Datetime, "kind": pl.String, "summary": pl.String},
        ),
        {
            "at": st.column_config.DatetimeColumn(
                t("track.at"), format="YYYY-MM-DD HH:mm"
            ),
            "kind": st.column_config.TextColumn(t("track.event")),
            "summary": st.column_config.TextColumn(t("track.summary"), width="large"),
        },
    )


def migration_rows(migrations: list[Any]) -> pl.DataFrame:
    """Migrations as table rows, amounts in 万元; approved past due shows overdue."""
    return pl.DataFrame(
        {
            "migration_id": [m.migration_id for m in migrations],
            "from_deal": [m.from_deal for m in migrations],
            "to_deal": [m.to_deal for m in migrations],
            "amount": [fmt.wan(m.amount) for m in migrations],
            "reason": [m.reason for m in migrations],
            "requested_by": [m.requested_by for m in migrations],
            "requested_at": [m.requested_at for m in migrations],
            "status": ["overdue" if m.overdue else m.status for m in migrations],
            "decided_by": [m.decided_by for m in migrations],
            "decision_note": [m.decision_note for m in migrations],
            "due_on": [m.due_on for m in migrations],
            "executed_at": [m.executed_at for m in migrations],
        },
        schema={
            "migration_id": pl.Int64,
            "from_deal": pl.String,
            "to_deal": pl.String,
            "amount": pl.Decimal(18, 2),
            "reason": pl.String,
            "requested_by": pl.String,
            "requested_at": pl.Datetime,
            "status": pl.String,
            "decided_by": pl.String,
            "decision_note": pl.String,
            "due_on": pl.Date,
            "executed_at": pl.Datetime,
        },
    )


def migration_columns() -> dict[str, Any]:
    """Column settings for migration_rows()."""
    return {
        "migration_id": st.column_config.NumberColumn(t("alerts.id"), format="%d"),
        "from_deal": st.column_config.TextColumn(t("migrations.from")),
        "to_deal": st.column_config.TextColumn(t("migrations.to")),
        "amount": fmt.money_column(t("migrations.amount")),
        "reason": st.column_config.TextColumn(t("migrations.reason")),
        "requested_by": st.column_config.TextColumn(t("migrations.requested_by")),
        "requested_at": fmt.datetime_column(t("migrations.requested_at")),
        "status": st.column_config.TextColumn(t("col.status")),
        "decided_by": st.column_config.TextColumn(t("migrations.decided_by")),
        "decision_note": st.column_config.TextColumn(t("migrations.note")),
        "due_on": fmt.date_column(t("migrations.due_on")),
        "executed_at": fmt.datetime_column(t("migrations.executed_at")),
    }


def counts(numbers: dict[str, int]) -> str:
    """What a load would do, e.g. "新增 120 行；更新 3 行（旧值留存于历史）"."""
    index = 1 if lang() == "en" else 0
    parts = [
        COUNT_LABELS[key][index].format(n=n)
        for key, n in numbers.items()
        if key in COUNT_LABELS and n
    ]
    return "; ".join(parts) if lang() == "en" else "；".join(parts)


def problems(report: Any) -> None:
    """Every problem of a refused file: missing columns first, then each bad cell."""
    language = lang()
    rows = [
        {
            "line_no": None,
            "column": column,
            "value": "",
            "text": t("upload.missing_column"),
        }
        for column in report.missing_columns
    ]
    rows += [
        {
            "line_no": problem.line_no or None,
            "column": problem.column,
            "value": problem.value,
            "text": problem.text(language),
        }
        for problem in report.problems
    ]
    show(
        pl.DataFrame(
            rows,
            schema={
                "line_no": pl.Int64,
                "column": pl.String,
                "value": pl.String,
                "text": pl.String,
            },
            orient="row",
        ),
        {
            "line_no": st.column_config.NumberColumn(t("upload.line"), format="%d"),
            "column": st.column_config.TextColumn(t("upload.column")),
            "value": st.column_config.TextColumn(t("upload.value")),
            "text": st.column_config.TextColumn(t("upload.reason"), width="large"),
        },
        height=min(400, 40 + 35 * max(len(rows), 1)),
    )
