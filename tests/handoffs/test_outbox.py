"""The alert outbox: routing, idempotent queueing, message text, status."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from handoffs.outbox import (
    Recipient,
    figure_text,
    idempotency_key,
    list_outbox,
    message_text,
    queue_for_alerts,
    queue_missing,
)
from rules.settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.users import Actor

NOW = datetime(2026, 3, 26, 8, 0)


@dataclass(frozen=True)
class FakeAlert:
    """The fields of warehouse.alerts.Alert the outbox reads."""

    alert_id: int = 1
    kind: str = "no_h_potential_by_25th"
    business_line: str = "integrated"
    track: str | None = "汽车"
    account_manager: str | None = "张三"
    profit_center: str | None = None
    deal_id: str | None = "I1"
    period: str = "2026-03"
    route: str = "track_director"
    figures: dict[str, Any] = field(
        default_factory=lambda: {"order_amount": Decimal("1200000.00")}
    )
    due_on: date | None = date(2026, 3, 28)
    status: str = "open"


@pytest.fixture
def people(rows) -> None:
    """Two directors of 汽车 (one also 医疗), one of 医疗, a CEO, a manager."""
    rows.user("d1", "track_director", tracks=["汽车"], email="d1@x.cn")
    rows.user("d2", "track_director", tracks=["汽车", "医疗"], email="d2@x.cn")
    rows.user("d3", "track_director", tracks=["医疗"], email="d3@x.cn")
    rows.user("boss", "ceo", email="ceo@x.cn")
    rows.user("zhang", "account_manager", account_manager="张三", email="z@x.cn")


def _settings(**delivery: Any) -> Settings:
    return load_settings(delivery={"pdca_mailbox": "pdca@x.cn", **delivery})


def _queued(warehouse: Warehouse) -> list[tuple[str, str, str, str]]:
    with warehouse.cursor() as cur:
        return cur.execute(
            "SELECT purpose, channel, recipient_kind, recipient FROM outbox_messages"
            " ORDER BY message_id"
        ).fetchall()


@pytest.mark.parametrize(
    ("alert", "webhooks", "expected"),
    [
        # Director-routed on 汽车: both directors of 汽车, not d3 of 医疗.
        (
            FakeAlert(),
            {},
            [("raised", "email", "user", "d1"), ("raised", "email", "user", "d2")],
        ),
        # Director-routed on 医疗, whose group chat has a webhook.
        (
            FakeAlert(track="医疗"),
            {"医疗": "http://chat/医疗"},
            [
                ("raised", "email", "user", "d2"),
                ("raised", "email", "user", "d3"),
                ("raised", "webhook", "webhook", "医疗"),
            ],
        ),
        # PDCA-routed on the total: the PDCA mailbox only.
        (
            FakeAlert(kind="low_accuracy", route="business_analysis_pdca", track=None),
            {"汽车": "http://chat/汽车"},
            [("raised", "email", "mailbox", "pdca")],
        ),
        # Escalated: the directors' message and the CEO's.
        (
            FakeAlert(status="escalated"),
            {},
            [
                ("raised", "email", "user", "d1"),
                ("raised", "email", "user", "d2"),
                ("escalated", "email", "user", "boss"),
            ],
        ),
        # A track without a director: the PDCA mailbox rather than nobody.
        (FakeAlert(track="家电"), {}, [("raised", "email", "mailbox", "pdca")]),
    ],
)
def test_queue_for_alerts_routes_by_route_track_and_status(
    warehouse: Warehouse,
    people: None,
    alert: FakeAlert,
    webhooks: dict[str, str],
    expected: list[tuple[str, str, str, str]],
) -> None:
    with warehouse.transaction() as cur:
        new = queue_for_alerts(cur, [alert], _settings(webhooks=webhooks), now=NOW)

    assert len(new) == len(expected)
    assert _queued(warehouse) == expected


def test_queue_for_alerts_twice_queues_once(warehouse: Warehouse, people: None) -> None:
    settings = _settings()
    with warehouse.transaction() as cur:
        first = queue_for_alerts(cur, [FakeAlert()], settings, now=NOW)
    with warehouse.transaction() as cur:
        second = queue_for_alerts(cur, [FakeAlert()], settings, now=NOW)

    assert (len(first), second) == (2, [])
    assert len(_queued(warehouse)) == 2


def test_queue_missing_skips_handled_and_already_queued(
    warehouse: Warehouse, people: None
) -> None:
    settings = _settings()
    with warehouse.transaction() as cur:
        queue_for_alerts(cur, [FakeAlert(alert_id=1)], settings, now=NOW)

    alerts = [
        FakeAlert(alert_id=1),  # already has its messages
        FakeAlert(alert_id=2, status="handled"),  # handled before anyone was told
        FakeAlert(alert_id=3, status="overdue"),  # never queued: queued now
        replace(FakeAlert(alert_id=1), status="escalated"),  # escalated since
    ]
    with warehouse.transaction() as cur:
        new = queue_missing(cur, alerts, settings, now=NOW)

    with warehouse.cursor() as cur:
        rows = cur.execute(
            "SELECT alert_id, purpose, recipient FROM outbox_messages"
            " WHERE message_id IN (SELECT unnest(?))",
            [new],
        ).fetchall()
    assert sorted(rows) == [
        ("1", "escalated", "boss"),
        ("3", "raised", "d1"),
        ("3", "raised", "d2"),
    ]


def test_outbox_tables_are_append_only(warehouse: Warehouse, people: None) -> None:
    with warehouse.transaction() as cur:
        queue_for_alerts(cur, [FakeAlert()], _settings(), now=NOW)

    with warehouse.cursor() as cur:
        for statement in (
            "UPDATE outbox_messages SET subject = 'x'",
            "DELETE FROM outbox_messages",
            "UPDATE outbox_attempts SET error = 'x'",
            "DELETE FROM outbox_attempts",
        ):
            with pytest.raises(duckdb.Error, match="append-only"):
                cur.execute(statement)


def test_idempotency_key_stable_and_distinct() -> None:
    director = Recipient("email", "user", "d1")

    assert idempotency_key(7, "raised", director) == idempotency_key(
        "7", "raised", director
    )
    keys = {
        idempotency_key(7, "raised", director),
        idempotency_key(8, "raised", director),
        idempotency_key(7, "escalated", director),
        idempotency_key(7, "raised", Recipient("email", "user", "d2")),
        idempotency_key(7, "raised", Recipient("webhook", "webhook", "d1")),
    }
    assert len(keys) == 5


def test_message_text_chinese_with_figures() -> None:
    alert = FakeAlert(
        kind="low_coverage",
        route="business_analysis_pdca",
        deal_id=None,
        account_manager=None,
        figures={
            "gap": Decimal("5000000.00"),
            "weighted_pipeline": Decimal("6000000.00"),
            "coverage": Decimal("1.2"),
        },
        due_on=None,
    )

    subject, body = message_text(alert, "raised")

    assert subject == "【销售预测告警】机会池覆盖率不足｜赛道 汽车｜2026-03"
    assert "剩余缺口：5,000,000.00 元" in body
    assert "加权机会金额：6,000,000.00 元" in body
    assert "机会覆盖率：1.20 倍" in body
    assert "经营分析PDCA" in body


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("gap", Decimal("1234.5"), "1,234.50 元"),
        ("weighted", 0.8123, "81.2%"),
        ("coverage", Decimal("1.456"), "1.46 倍"),
        ("mold_sets", 3, "3"),
        ("direction", "shortfall", "缺口（精度版更低）"),
        ("note", None, "—"),
    ],
)
def test_figure_text_by_kind_of_figure(key: str, value: Any, text: str) -> None:
    assert figure_text(key, value) == text


def test_list_outbox_scoped_and_queued(warehouse: Warehouse, people: None) -> None:
    with warehouse.transaction() as cur:
        queue_for_alerts(
            cur,
            [FakeAlert(alert_id=1), FakeAlert(alert_id=2, track="医疗")],
            _settings(),
            now=NOW,
        )

    with warehouse.cursor() as cur:
        everything = list_outbox(cur)
        medical = list_outbox(
            cur, actor=Actor("d3", "track_director", tracks=("医疗",))
        )
        zhang = list_outbox(
            cur, actor=Actor("zhang", "account_manager", account_manager="张三")
        )

    # 汽车: d1, d2; 医疗: d2, d3 — four messages, none tried yet.
    assert everything.height == 4
    assert set(everything["status"]) == {"queued"}
    assert set(everything["attempts"]) == {0}
    assert set(medical["alert_id"]) == {"2"}
    assert zhang.height == 4
