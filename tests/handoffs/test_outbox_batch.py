"""The alert outbox queues a batch of alerts as one message per alert event would."""

from __future__ import annotations

import hashlib
import itertools
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from handoffs.outbox import message_text, queue_for_alerts, queue_missing
from rules.settings import Settings, load_settings
from warehouse import Warehouse

NOW = datetime(2026, 3, 26, 8, 0)

# The people fixture below, as the routing rules read it: the directors of each
# track and the CEOs, by name.
DIRECTORS = {"汽车": ["d1", "d2"], "医疗": ["d2", "d3"]}
CEOS = ["boss"]
WEBHOOKS = {"医疗": "http://chat/医疗"}

# Tracks with directors, one without (家电), and the total of all tracks (None).
TRACKS = ["汽车", "医疗", "家电", None]
ROUTES = ["track_director", "business_analysis_pdca"]
STATUSES = ["open", "escalated", "overdue"]


@dataclass(frozen=True)
class FakeAlert:
    """The fields of warehouse.alerts.Alert the outbox reads."""

    alert_id: int
    track: str | None
    route: str
    status: str
    kind: str = "sales_shortfall"
    business_line: str = "integrated"
    account_manager: str | None = "张三"
    profit_center: str | None = None
    deal_id: str | None = None
    period: str = "2026-03"
    figures: dict[str, Any] = field(
        default_factory=lambda: {"shortfall": Decimal("250000.00")}
    )
    due_on: date | None = date(2026, 3, 28)


@pytest.fixture
def people(rows) -> None:
    """The users of DIRECTORS and CEOS, and an account manager nobody routes to."""
    rows.user("d2", "track_director", tracks=["汽车", "医疗"], email="d2@x.cn")
    rows.user("d1", "track_director", tracks=["汽车"], email="d1@x.cn")
    rows.user("d3", "track_director", tracks=["医疗"], email="d3@x.cn")
    rows.user("boss", "ceo", email="ceo@x.cn")
    rows.user("zhang", "account_manager", account_manager="张三", email="z@x.cn")


def _alerts(first_id: int = 1) -> list[FakeAlert]:
    """Every track × route × status, twice over: 4 × 2 × 3 × 2 = 48 alerts."""
    grid = itertools.product(TRACKS, ROUTES, STATUSES, range(2))
    return [
        FakeAlert(alert_id=first_id + n, track=track, route=route, status=status)
        for n, (track, route, status, _) in enumerate(grid)
    ]


def _settings() -> Settings:
    return load_settings(delivery={"pdca_mailbox": "pdca@x.cn", "webhooks": WEBHOOKS})


def _expected(
    events: list[tuple[FakeAlert, str]], ceos: list[str] = CEOS
) -> list[tuple[str, ...]]:
    """The rows of the module docstring's routing, one alert event after another.

    Escalated: every CEO; raised on route track_director: every director of the
    alert's track; nobody found: the PDCA mailbox instead (a PDCA-routed alert
    has the mailbox anyway); a track with a webhook: its group chat too. The key
    is sha256 of alert id, purpose, channel, recipient kind and name joined by
    the unit separator.
    """
    expected = []
    for alert, purpose in events:
        if purpose == "escalated":
            people = ceos
        elif alert.route == "business_analysis_pdca":
            people = []
        else:
            people = DIRECTORS.get(alert.track or "", [])
        to = [("email", "user", name) for name in people] or [
            ("email", "mailbox", "pdca")
        ]
        if alert.track in WEBHOOKS:
            to.append(("webhook", "webhook", alert.track))

        subject, body = message_text(alert, purpose)
        for channel, kind, name in to:
            text = "\x1f".join([str(alert.alert_id), purpose, channel, kind, name])
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()
            expected.append(
                (key, str(alert.alert_id), purpose, channel, kind, name, subject, body)
            )
    return expected


def _events(alerts: list[FakeAlert]) -> list[tuple[FakeAlert, str]]:
    """Each alert's "raised" event, then its "escalated" one when escalated."""
    return [
        (alert, purpose)
        for alert in alerts
        for purpose in ["raised", "escalated"][
            : 2 if alert.status == "escalated" else 1
        ]
    ]


def _stored(warehouse: Warehouse) -> list[tuple[Any, ...]]:
    with warehouse.cursor() as cur:
        return cur.execute(
            "SELECT message_id, idempotency_key, alert_id, purpose, channel,"
            " recipient_kind, recipient, subject, body FROM outbox_messages"
            " ORDER BY message_id"
        ).fetchall()


def test_queue_for_alerts_batch_matches_per_alert_routing(
    warehouse: Warehouse, people: None, caplog: pytest.LogCaptureFixture
) -> None:
    alerts = _alerts()

    with (
        caplog.at_level(logging.WARNING, logger="handoffs.outbox"),
        warehouse.transaction() as cur,
    ):
        new = queue_for_alerts(cur, alerts, _settings(), now=NOW)

    stored = _stored(warehouse)
    assert [row[1:] for row in stored] == _expected(_events(alerts))
    assert new == [row[0] for row in stored]
    # Director-routed alerts on 家电 or on the total: 2 tracks × 3 statuses × 2 = 12.
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("12 raised alerts")
    assert "[-, 家电]" in caplog.records[0].getMessage()


def test_queue_for_alerts_batch_without_ceo_warns_once_per_role(
    warehouse: Warehouse, rows, caplog: pytest.LogCaptureFixture
) -> None:
    rows.user("d1", "track_director", tracks=["汽车"])
    alerts = [
        FakeAlert(alert_id=1, track="汽车", route="track_director", status="escalated"),
        FakeAlert(alert_id=2, track="医疗", route="track_director", status="escalated"),
    ]

    with (
        caplog.at_level(logging.WARNING, logger="handoffs.outbox"),
        warehouse.transaction() as cur,
    ):
        queue_for_alerts(cur, alerts, _settings(), now=NOW)

    # 汽车 has d1; 医疗 has no director here and a group chat; nobody is CEO.
    assert [row[3:7] for row in _stored(warehouse)] == [
        ("raised", "email", "user", "d1"),
        ("escalated", "email", "mailbox", "pdca"),
        ("raised", "email", "mailbox", "pdca"),
        ("raised", "webhook", "webhook", "医疗"),
        ("escalated", "email", "mailbox", "pdca"),
        ("escalated", "webhook", "webhook", "医疗"),
    ]
    messages = sorted(record.getMessage() for record in caplog.records)
    assert len(messages) == 2
    assert messages[0].startswith("1 raised alerts (2) of tracks [医疗]")
    assert "no track director" in messages[0]
    assert messages[1].startswith("2 escalated alerts (1, 2) of tracks [医疗, 汽车]")
    assert "no CEO" in messages[1]


def test_queue_for_alerts_batch_skips_queued_keys_and_repeats(
    warehouse: Warehouse, people: None
) -> None:
    settings = _settings()
    first, later = _alerts()[:20], _alerts()[10:]
    with warehouse.transaction() as cur:
        queue_for_alerts(cur, first, settings, now=NOW)

    # Alerts 11-20 are queued already; alert 30 given twice is queued once.
    again = later + [later[-19]]
    with warehouse.transaction() as cur:
        new = queue_for_alerts(cur, again, settings, now=NOW)

    stored = _stored(warehouse)
    assert [row[1:] for row in stored] == _expected(_events(_alerts()))
    first_count = len(_expected(_events(first)))
    assert new == [row[0] for row in stored[first_count:]]


def test_queue_missing_batch_matches_per_alert_routing(
    warehouse: Warehouse, people: None, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings()
    alerts = _alerts()
    told = [replace(alert, status="open") for alert in alerts[:24]]
    with warehouse.transaction() as cur:
        queue_for_alerts(cur, told, settings, now=NOW)
    before = len(_stored(warehouse))

    # The first 24 were told when open: only the escalations of those escalated
    # since are missing. The other 24 were never told: everything but the handled.
    stored_now = [
        replace(alert, status="handled") if alert.alert_id % 6 == 0 else alert
        for alert in alerts
    ]
    caplog.clear()
    with (
        caplog.at_level(logging.WARNING, logger="handoffs.outbox"),
        warehouse.transaction() as cur,
    ):
        new = queue_missing(cur, stored_now, settings, now=NOW)

    missing = [
        (alert, "escalated") for alert in stored_now[:24] if alert.status == "escalated"
    ] + [event for event in _events(stored_now[24:]) if event[0].status != "handled"]
    # queue_missing walks alert by alert: order the expected events the same way.
    missing.sort(key=lambda event: event[0].alert_id)
    stored = _stored(warehouse)
    assert [row[1:] for row in stored[before:]] == _expected(missing)
    assert new == [row[0] for row in stored[before:]]
    assert len(caplog.records) == 1
