"""告警 Alerts under AppTest: the list, handling, escalation, delivery, daily run."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoffs.outbox import list_outbox
from warehouse import Warehouse
from warehouse.alerts import list_alerts, run_check
from warehouse.users import OPERATOR, resolve


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


# Delivery status (the outbox) and the admin's daily run.


def delivery_table(at):
    """The delivery-status expander's table, as the page shows it."""
    section = next(e for e in at.expander if e.label == "通知发送状态")
    return section.dataframe[0].value


def stored_outbox(db: Path, user: str | None = None):
    """The outbox as list_outbox gives it, for the user (or the operator)."""
    with Warehouse(db) as wh, wh.cursor() as cur:
        actor = resolve(cur, user) if user else OPERATOR
        return list_outbox(cur, actor=actor)


def test_alerts_delivery_status_lists_director_messages(dashboard, sample_db) -> None:
    at = open_as(dashboard, sample_db, "吴静")

    assert not at.exception, [e.value for e in at.exception]
    table = delivery_table(at)
    expected = stored_outbox(sample_db, "吴静")
    # The page lists the newest 1,000 messages; the director has fewer.
    assert 0 < expected.height < 1000
    assert sorted(table["alert_id"]) == sorted(expected["alert_id"])
    # The sample's messages are queued, none sent yet.
    assert set(table["status"]) == {"待发送"}
    assert set(table["attempts"]) == {0}


def test_alerts_run_due_absent_for_director(dashboard, sample_db) -> None:
    at = open_as(dashboard, sample_db, "吴静")

    assert "run_due" not in [button.key for button in at.button]


def test_alerts_run_due_as_admin_runs_and_attempts_every_message(
    dashboard, writable_db, as_of
) -> None:
    before = stored_outbox(writable_db)
    assert set(before["status"]) == {"queued"}
    at = open_as(dashboard, writable_db, "赵敏")

    at.button(key="run_due").click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    notice = at.success[0].value
    assert notice.startswith(f"{as_of} 的计划任务已运行。")
    # Every queued message was due: each one has been tried once, delivered
    # or failed depending on whether this machine accepts mail.
    after = stored_outbox(writable_db)
    assert "queued" not in set(after["status"])
    assert set(after["attempts"]) == {1}
    assert f"发送 {after.height} 条" in notice
    assert "待发送" not in set(delivery_table(at)["status"])
