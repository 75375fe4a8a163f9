"""总览 Overview under AppTest: the CEO's key figures are the board's, formatted."""

from __future__ import annotations

import pytest

from ui import format as fmt
from warehouse.board import build_board
from warehouse.users import resolve

# (metric label on the page, IntegratedMetrics field)
KEY_FIGURES = [
    ("年度目标", "target"),
    ("量产预计收入", "mp_expected"),
    ("模具开发预计收入", "mold_expected"),
    ("剩余缺口", "gap"),
    ("加权机会", "weighted_pipeline"),
    ("本月需转化", "monthly_pace"),
    ("本月已转化", "converted_this_month"),
]


@pytest.fixture
def ceo_board(sample_warehouse, as_of, settings):
    """The board as the sample's CEO sees it, straight from the rules."""
    with sample_warehouse.cursor() as cur:
        ceo = cur.execute("SELECT name FROM users WHERE role = 'ceo'").fetchall()[0][0]
        actor = resolve(cur, ceo)
    with sample_warehouse.cursor() as cur:
        return build_board(cur, as_of, settings, actor)


def test_overview_sample_renders_without_exception(dashboard, sample_db) -> None:
    at = dashboard(sample_db).start()

    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "总览 · 销售督导例会"
    assert len(at.get("plotly_chart")) >= 2


@pytest.mark.parametrize(("label", "field"), KEY_FIGURES)
def test_overview_key_figure_equals_board(
    dashboard, sample_db, ceo_board, label: str, field: str
) -> None:
    at = dashboard(sample_db).start()

    shown = {metric.label: metric.value for metric in at.metric}
    expected = fmt.money(getattr(ceo_board.integrated_total.metrics, field), "zh")
    assert shown[label] == expected


def test_overview_coverage_shows_ratio_or_not_applicable(
    dashboard, sample_db, ceo_board
) -> None:
    at = dashboard(sample_db).start()

    metrics = ceo_board.integrated_total.metrics
    coverage = next(m for m in at.metric if m.label == "机会覆盖率")
    # No gap (gap ≤ 0) means no coverage: the SPEC's null, shown in words.
    expected = "不适用" if metrics.coverage is None else fmt.ratio(metrics.coverage)
    assert coverage.value == expected
    assert coverage.proto.delta == (
        "健康" if metrics.coverage_status == "healthy" else "告警"
    )


def test_overview_commodity_headline_equals_board(
    dashboard, sample_db, ceo_board
) -> None:
    at = dashboard(sample_db).start()

    shown = {metric.label: metric.value for metric in at.metric}
    total = ceo_board.commodity.total
    assert shown["商品模接单目标（年初至今）"] == fmt.money(total.order_target)
    assert shown["商品模实际接单（年初至今）"] == fmt.money(total.orders)
    assert shown["商品模接单达成率"] == fmt.percent(total.attainment)


def test_overview_track_table_lists_every_track(
    dashboard, sample_db, ceo_board
) -> None:
    at = dashboard(sample_db).start()

    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == sorted(ceo_board.integrated_tracks)


def test_overview_english_switch_translates_labels(
    dashboard, sample_db, ceo_board
) -> None:
    at = dashboard(sample_db).start(lang="en")

    assert at.title[0].value == "Overview · monthly supervision meeting"
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Remaining gap"] == fmt.money(
        ceo_board.integrated_total.metrics.gap, "en"
    )


def test_overview_director_sees_only_own_track(
    dashboard, sample_db, sample_warehouse
) -> None:
    with sample_warehouse.cursor() as cur:
        name, tracks = cur.execute(
            "SELECT name, tracks FROM users WHERE role = 'track_director' ORDER BY name"
        ).fetchall()[0]

    at = dashboard(sample_db).start(user=name)

    assert not at.exception, [e.value for e in at.exception]
    assert sorted(at.dataframe[0].value.iloc[:, 0]) == sorted(tracks)
