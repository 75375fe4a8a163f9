"""The daily scheduled run: each step once, however often the timer fires."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from handoffs.schedule import run_due
from rules.settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.errors import PermissionDenied
from warehouse.snapshots import take_snapshot


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def settings(smtp: tuple[int, Inbox]) -> Settings:
    return load_settings(
        delivery={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp[0],
            "pdca_mailbox": "pdca@tk.cn",
        }
    )


@pytest.fixture
def april(rows) -> None:
    """Track 汽车 with a director, a 12,000,000 target and two deals.

    A  opportunity (M Potential) whose rolling forecast books 1,000,000 in
       April 2026 and has no quote: the 25th-day rule applies to it in April.
    B  mass production: 100,000 product sales a month, March – December.
    """
    rows.user("d1", "track_director", tracks=["汽车"], email="d1@tk.cn")
    for month in range(1, 13):
        rows.target(2026, month, "1000000", track="汽车")
    rows.deal("A", stage="M Potential")
    rows.deal("B", phase="mass_production", stage="Secured", project_id="P-B")
    submitted = datetime(2026, 1, 15)
    rows.forecast("A", "rolling", submitted, date(2026, 4, 1), order_amount="1000000")
    for month in range(3, 13):
        rows.forecast(
            "B", "rolling", submitted, date(2026, month, 1), product_sales="100000"
        )


def _count(warehouse: Warehouse, query: str) -> int:
    with warehouse.cursor() as cur:
        return int(cur.execute(query).fetchall()[0][0])


def test_run_due_twice_same_day_does_the_work_once(
    warehouse: Warehouse, april: None, settings: Settings, smtp: tuple[int, Inbox]
) -> None:
    first = run_due(warehouse, date(2026, 4, 2), settings)
    sent = len(smtp[1].messages)
    second = run_due(warehouse, date(2026, 4, 2), settings)

    assert first.snapshot_taken == "2026-04"
    assert first.alerts_raised, "a 12,000,000 target with no pipeline raises alerts"
    # The check queues the messages of the alerts it raises; notify sends them.
    queued = _count(warehouse, "SELECT count(*) FROM outbox_messages")
    assert first.delivery.delivered == queued > 0
    assert sent == first.delivery.delivered
    assert second.nothing_new
    assert (second.snapshot_taken, second.alerts_raised, second.queued) == (None, [], 0)
    assert second.delivery.attempted == 0
    assert len(smtp[1].messages) == sent
    assert _count(warehouse, "SELECT count(*) FROM snapshots") == 1


def test_run_due_after_window_reports_missing_snapshot(
    warehouse: Warehouse, april: None, settings: Settings
) -> None:
    report = run_due(warehouse, date(2026, 4, 6), settings)

    assert (report.snapshot_taken, report.snapshot_missing) == (None, "2026-04")
    assert _count(warehouse, "SELECT count(*) FROM snapshots") == 0


def test_run_due_check_holds_25th_rule(
    warehouse: Warehouse, april: None, settings: Settings
) -> None:
    before = run_due(warehouse, date(2026, 4, 24), settings)
    on_25th = run_due(warehouse, date(2026, 4, 25), settings)

    kinds_before = {a["kind"] for a in before.alerts_raised}
    kinds_25th = {(a["kind"], a["track"]) for a in on_25th.alerts_raised}
    assert "no_h_potential_by_25th" not in kinds_before
    assert kinds_25th == {("no_h_potential_by_25th", "汽车")}


def test_run_due_records_last_month_accuracy_once(
    warehouse: Warehouse, rows, april: None, settings: Settings
) -> None:
    take_snapshot(warehouse, "2026-03", as_of=date(2026, 3, 2))
    with warehouse.transaction() as cur:
        cur.execute(
            "INSERT INTO shipments VALUES"
            " ('2026-03-01', 'B', '', 'product', 80000, 'ERP', 'actual', 0)"
        )

    first = run_due(warehouse, date(2026, 4, 1), settings)
    second = run_due(warehouse, date(2026, 4, 1), settings)

    with warehouse.cursor() as cur:
        [(detail,)] = cur.execute(
            "SELECT detail FROM audit_log WHERE action = 'accuracy.record'"
            " AND subject = '2026-03'"
        ).fetchall()
    total = json.loads(detail)["total"]
    # March, snapshot 2026-03: B (mass production) F = 100,000, A = 80,000:
    # 1 − 20,000 ÷ 80,000 = 0.75. A (opportunity) books nothing in March and
    # no order came: 1. No mold development deal: 1.
    # weighted = 0.2 × 1 + 0.3 × 1 + 0.5 × 0.75 = 0.875.
    assert Decimal(str(total["mass_production"])) == Decimal("0.75")
    assert Decimal(str(total["weighted"])) == Decimal("0.875")
    assert (first.accuracy_recorded, second.accuracy_recorded) == ("2026-03", None)


def test_run_due_refuses_non_admin(
    warehouse: Warehouse, april: None, settings: Settings
) -> None:
    with pytest.raises(PermissionDenied):
        run_due(warehouse, date(2026, 4, 2), settings, "d1")


def test_cli_run_due_twice_says_nothing_new(
    run_cli,
    warehouse: Warehouse,
    april: None,
    smtp: tuple[int, Inbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORECAST_DELIVERY__SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FORECAST_DELIVERY__SMTP_PORT", str(smtp[0]))
    monkeypatch.setenv("FORECAST_DELIVERY__PDCA_MAILBOX", "pdca@tk.cn")
    warehouse.close()

    first = run_cli("run-due", "--as-of", "2026-04-02", "--json")
    second = run_cli("--lang", "en", "run-due", "--as-of", "2026-04-02")

    assert first.code == 0, first.err
    outcome = json.loads(first.out)
    assert outcome["snapshot_taken"] == "2026-04"
    assert outcome["delivery"]["delivered"] == len(smtp[1].messages) > 0
    assert second.code == 0, second.err
    assert "Nothing new" in second.out


def test_cli_notify_delivers_alerts_without_messages(
    run_cli,
    warehouse: Warehouse,
    april: None,
    smtp: tuple[int, Inbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An alert stored without any message (as if the check had not queued).
    with warehouse.transaction() as cur:
        cur.execute(
            "INSERT INTO alerts (alert_id, kind, business_line, subject_type, subject,"
            " period, track, route, figures, raised_on, due_on, raised_by)"
            " VALUES (99, 'sales_shortfall', 'integrated', 'track', '汽车', '2026-03',"
            " '汽车', 'track_director', '{\"shortfall\": 5000}', '2026-04-01',"
            " '2026-04-03', 'operator')"
        )
        cur.execute(
            "INSERT INTO alert_events (alert_id, status, user_name)"
            " VALUES (99, 'open', 'operator')"
        )
    monkeypatch.setenv("FORECAST_DELIVERY__SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FORECAST_DELIVERY__SMTP_PORT", str(smtp[0]))
    warehouse.close()

    first = run_cli("notify", "--json")
    second = run_cli("notify", "--json")

    assert first.code == 0, first.err
    assert json.loads(first.out)["queued"] == 1
    assert json.loads(first.out)["delivered"] == 1
    assert json.loads(second.out)["attempted"] == 0
    assert [m.rcpt_tos for m in smtp[1].messages] == [["d1@tk.cn"]]
