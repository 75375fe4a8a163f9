"""总览 Overview under AppTest: the board's figures, formatted, and the hand-offs."""

from __future__ import annotations

import codecs
import io
from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from handoffs.aps_export import CSV_COLUMNS, read_aps_export
from ui import format as fmt
from warehouse import Warehouse
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


# Hand-offs on the overview: the APS/PMC export and the meeting pack.

PACK_SHEETS = ["概览", "赛道", "准确率", "告警", "商品模接单", "快照变化"]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file a download button hands to the browser, by file name."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


def build(at, button: str):
    """Press one of the overview's build buttons and run the page again."""
    return at.button(key=button).click().run()


@pytest.mark.parametrize("manager", ["王磊", "马超"])
def test_overview_aps_csv_download_holds_only_managers_deals(
    dashboard, writable_db, served, as_of, manager: str
) -> None:
    at = dashboard(writable_db).start(user=manager)
    assert at.download_button(key="aps_download_csv").proto.disabled

    at = build(at, "aps_build_csv")

    assert not at.exception, [e.value for e in at.exception]
    assert not at.download_button(key="aps_download_csv").proto.disabled
    content = served[f"aps-{as_of.isoformat()}.csv"]
    assert content.startswith(codecs.BOM_UTF8)
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == list(CSV_COLUMNS)

    # Expected straight from the warehouse: the manager's own deals, and the
    # hand-off's own rows for that actor (read without auditing).
    with Warehouse(writable_db) as wh, wh.cursor() as cur:
        actor = resolve(cur, manager)
        own = {
            row[0]
            for row in cur.execute(
                "SELECT deal_id FROM deals WHERE account_manager = ?", [manager]
            ).fetchall()
        }
        expected = read_aps_export(cur, as_of, actor).to_csv()
    table = pl.read_csv(io.BytesIO(content), infer_schema=False)
    assert table.height > 0
    assert set(table["account_manager"]) == {manager}
    assert set(table["deal_id"]) <= own
    assert content == expected


def test_overview_meeting_pack_xlsx_has_every_section_sheet(
    dashboard, writable_db, served, as_of
) -> None:
    at = build(dashboard(writable_db).start(), "pack_build_xlsx")

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    content = served[f"meeting-pack-{as_of.isoformat()}.xlsx"]
    assert fastexcel.read_excel(content).sheet_names == PACK_SHEETS
    sheets = pl.read_excel(io.BytesIO(content), sheet_id=0, has_header=False)
    assert list(sheets) == PACK_SHEETS
    assert all(sheet.height > 0 for sheet in sheets.values())


def test_overview_meeting_pack_before_any_snapshot_shows_refusal(
    dashboard, writable_db, served
) -> None:
    at = dashboard(writable_db).start()
    # The sample's first snapshot is taken on 2026-01-05.
    at.date_input(key="as_of").set_value(date(2026, 1, 2)).run()

    at = build(at, "pack_build_xlsx")

    assert not at.exception, [e.value for e in at.exception]
    assert any("还没有任何快照" in e.value for e in at.error)
    assert at.download_button(key="pack_download_xlsx").proto.disabled
    assert not any(name.startswith("meeting-pack-") for name in served)


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium"
)
def test_overview_meeting_pack_pdf_is_a_pdf(
    dashboard, writable_db, served, as_of
) -> None:
    at = build(dashboard(writable_db).start(), "pack_build_pdf")

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert served[f"meeting-pack-{as_of.isoformat()}.pdf"].startswith(b"%PDF")
