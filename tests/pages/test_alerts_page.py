"""告警 Alerts under AppTest: the list, handling and escalation to the CEO."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import Warehouse
from warehouse.alerts import list_alerts, run_check


@pytest.fixture
def alerted_db(writable_db: Path, as_of, settings) -> Path:
    """The sample with the alert check run as of its as-of date."""
    with Warehouse(writable_db) as wh:
        run_check(wh, as_of, settings)
    return writable_db


def stored(db: Path, as_of) -> dict[int, str]:
    """Every stored alert's status, read straight from the warehouse."""
    with Warehouse(db) as wh, wh.cursor() as cur:
        return {a.alert_id: a.status for a in list_alerts(cur, today=as_of)}


def open_as(dashboard, db: Path, user: str):
    page = dashboard(db)
    page.start(user=user)
    return page.open("alerts")


def select_first_row(at) -> None:
    at.session_state["alert_table"] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    at.run()


def test_alerts_page_renders_open_alerts_of_director_track(
    dashboard, alerted_db, as_of
) -> None:
    at = open_as(dashboard, alerted_db, "吴静")

    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    with Warehouse(alerted_db) as wh, wh.cursor() as cur:
        director = cur.execute(
            "SELECT tracks FROM users WHERE name = '吴静'"
        ).fetchall()
    own_tracks = set(director[0][0])
    assert len(table) > 0
    assert set(table["track"]) <= own_tracks


def test_alerts_handle_records_conclusion(dashboard, alerted_db, as_of) -> None:
    at = open_as(dashboard, alerted_db, "吴静")
    first = int(at.dataframe[0].value["alert_id"].iloc[0])
    select_first_row(at)

    at.text_area[0].input("已与客户经理确认：订单移至 12 月。")
    at.main.button[0].click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == f"告警 {first} 已处理。"
    assert stored(alerted_db, as_of)[first] == "handled"


def test_alerts_handle_without_conclusion_is_refused(
    dashboard, alerted_db, as_of
) -> None:
    at = open_as(dashboard, alerted_db, "吴静")
    first = int(at.dataframe[0].value["alert_id"].iloc[0])
    select_first_row(at)

    at.main.button[0].click().run()

    assert not at.exception
    assert at.error, "the refusal is shown as an error box"
    assert stored(alerted_db, as_of)[first] == "open"


def test_alerts_escalated_alert_appears_on_ceo_view(
    dashboard, alerted_db, as_of
) -> None:
    # the sample's directors escalated some alerts already while replaying the year
    escalated_before = list(stored(alerted_db, as_of).values()).count("escalated")
    at = open_as(dashboard, alerted_db, "吴静")
    first = int(at.dataframe[0].value["alert_id"].iloc[0])
    select_first_row(at)
    at.text_area[1].input("客户可能整体推迟项目，需要高层介入。")
    at.main.button[1].click().run()
    assert stored(alerted_db, as_of)[first] == "escalated"

    ceo = open_as(dashboard, alerted_db, "陈建国")

    assert ceo.subheader[0].value == f"上升至 CEO 的告警（{escalated_before + 1}）"
    assert first in list(ceo.dataframe[0].value["alert_id"])
