"""双版本 Dual version under AppTest: counts by direction and the side-by-side view."""

from __future__ import annotations

import polars as pl

from warehouse import drilldown
from warehouse.users import OPERATOR


def test_dual_version_counts_equal_latest_differences(
    dashboard, sample_db, sample_warehouse, as_of
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("dual_version")

    with sample_warehouse.cursor() as cur:
        found = drilldown.version_differences(cur, as_of, OPERATOR)
    # The page lists the year's submissions, each deal's latest one.
    latest = found.filter(pl.col("precision_at").dt.year() == as_of.year).unique(
        "deal_id", keep="first", maintain_order=True
    )
    assert not at.exception, [e.value for e in at.exception]
    shown = {metric.label: metric.value for metric in at.metric}
    for label, direction in (
        ("缺口（精度版更低）", "shortfall"),
        ("超预期（精度版更高）", "upside"),
        ("金额不变、分布调整", "reshaped"),
    ):
        assert shown[label] == str(len(latest.filter(pl.col("direction") == direction)))


def test_dual_version_selected_row_shows_both_versions(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("dual_version")
    deal_id = at.dataframe[0].value["deal_id"].iloc[0]

    at.session_state["dual_table"] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    at.run()

    assert not at.exception, [e.value for e in at.exception]
    assert at.subheader[-1].value == f"{deal_id}：两个版本逐月对比"
    months = at.dataframe[-1].value
    assert {"rolling_sales", "precision_sales"} <= set(months.columns)
