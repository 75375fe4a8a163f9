"""赛道 Track under AppTest: track figures, managers, one deal's detail and trace."""

from __future__ import annotations

import polars as pl
import pytest

from ui import format as fmt
from warehouse.board import build_board, deal_expectations


@pytest.fixture
def operator_board(sample_warehouse, as_of, settings):
    """The whole board (the operator sees everything), from the rules."""
    with sample_warehouse.cursor() as cur:
        return build_board(cur, as_of, settings)


def open_track(dashboard, db):
    page = dashboard(db)
    page.start(user="陈建国")
    return page.open("track")


def test_track_page_figures_equal_first_track_board(
    dashboard, sample_db, operator_board
) -> None:
    at = open_track(dashboard, sample_db)

    assert not at.exception, [e.value for e in at.exception]
    track = at.selectbox(key="track").value
    metrics = operator_board.integrated_tracks[track].metrics
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["剩余缺口"] == fmt.money(metrics.gap)
    assert shown["加权机会"] == fmt.money(metrics.weighted_pipeline)


def test_track_managers_weighted_pipeline_adds_up_to_track(
    dashboard, sample_db, operator_board
) -> None:
    at = open_track(dashboard, sample_db)

    track = at.selectbox(key="track").value
    managers = at.dataframe[0].value
    # The managers' weighted pipelines (万元, 2 places each) add up to the
    # track's, within the rounding of one cent per manager.
    total = sum(managers["weighted_pipeline"])
    expected = fmt.wan(
        operator_board.integrated_tracks[track].metrics.weighted_pipeline
    )
    assert abs(total - expected) <= fmt.to_decimal("0.01") * len(managers)


def test_track_drill_to_deal_shows_versions_quotes_and_trace(
    dashboard, sample_db, sample_warehouse, as_of, settings
) -> None:
    at = open_track(dashboard, sample_db)
    track = at.selectbox(key="track").value
    with sample_warehouse.cursor() as cur:
        deals = deal_expectations(cur, as_of, settings).filter(pl.col("track") == track)
    manager = deals["account_manager"][0]
    deal_id = deals.filter(pl.col("account_manager") == manager)["deal_id"][0]

    at.selectbox(key="manager").set_value(manager).run()
    at.selectbox(key="deal").set_value(deal_id).run()

    assert not at.exception, [e.value for e in at.exception]
    assert f"商机明细：{deal_id}" in [h.value for h in at.subheader]
    assert len(at.get("plotly_chart")) == 1
    trace = at.dataframe[-1].value
    assert len(trace) > 0
