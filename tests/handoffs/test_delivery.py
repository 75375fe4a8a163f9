"""Delivering the outbox to a real SMTP server and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from handoffs.delivery import backoff, deliver_due
from handoffs.outbox import list_outbox, queue_for_alerts
from rules.settings import DeliverySettings, Settings, load_settings
from warehouse import Warehouse

NOW = datetime(2026, 3, 26, 8, 0)


class FakeAlert:
    """A director-routed alert on track 汽车 with one amount figure."""

    alert_id = 41
    kind = "no_h_potential_by_25th"
    business_line = "integrated"
    track = "汽车"
    account_manager = "张三"
    profit_center = None
    deal_id = "I1"
    period = "2026-03"
    route = "track_director"
    figures = {"order_amount": 1200000}
    due_on = date(2026, 3, 28)
    status = "open"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, started only when a test asks for it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


class ChatServer:
    """A group-chat webhook on 127.0.0.1 that answers each POST from a script."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]]) -> None:
        self.answers = answers
        self.posts: list[tuple[dict[str, str], dict[str, Any]]] = []
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                chat.posts.append((dict(self.headers), body))
                status, answer = (
                    chat.answers.pop(0) if chat.answers else (200, {"errcode": 0})
                )
                data = json.dumps(answer).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook?key=secret"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def directors(rows) -> None:
    rows.user("d1", "track_director", tracks=["汽车"], email="d1@x.cn")


def _settings(smtp_port: int, **delivery: Any) -> Settings:
    return load_settings(
        delivery={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port,
            "smtp_timeout_seconds": 5,
            "sender": "forecast@tk.cn",
            "pdca_mailbox": "pdca@tk.cn",
            "retry_base_seconds": 60,
            **delivery,
        }
    )


def _queue(warehouse: Warehouse, settings: Settings) -> None:
    with warehouse.transaction() as cur:
        queue_for_alerts(cur, [FakeAlert()], settings, now=NOW)


def _attempts(warehouse: Warehouse) -> list[tuple[Any, ...]]:
    with warehouse.cursor() as cur:
        return cur.execute(
            "SELECT attempt_no, outcome, error IS NULL, next_attempt_at"
            " FROM outbox_attempts ORDER BY message_id, attempt_no"
        ).fetchall()


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [
        (1, 60),  # base
        (2, 120),  # 60 × 2
        (3, 240),  # 60 × 2²
        (7, 3600),  # 60 × 2⁶ = 3840, capped at 3600
        (500, 3600),  # far past the cap
    ],
)
def test_backoff_doubles_up_to_cap(failures: int, seconds: int) -> None:
    delivery = DeliverySettings(retry_base_seconds=60, retry_max_seconds=3600)

    assert backoff(failures, delivery) == timedelta(seconds=seconds)


def test_deliver_due_email_once_with_message_id(
    warehouse: Warehouse, directors: None, smtp_port: int, inbox: Inbox
) -> None:
    settings = _settings(smtp_port)
    _queue(warehouse, settings)

    first = deliver_due(warehouse, settings, now=NOW)
    second = deliver_due(warehouse, settings, now=NOW + timedelta(days=1))

    assert (first.attempted, first.delivered, first.failed) == (1, 1, 0)
    assert second.attempted == 0
    assert len(inbox.messages) == 1

    envelope = inbox.messages[0]
    email = message_from_bytes(envelope.content, policy=policy.default)
    with warehouse.cursor() as cur:
        [(key,)] = cur.execute("SELECT idempotency_key FROM outbox_messages").fetchall()
        status = list_outbox(cur)
    assert envelope.rcpt_tos == ["d1@x.cn"]
    assert email["Message-ID"] == f"<{key}@tk.cn>"
    assert "25号前未见 H Potential 报价" in email["Subject"]
    assert "本月预计接单金额：1,200,000" in email.get_content()
    assert status["status"].to_list() == ["delivered"]


def test_deliver_due_smtp_down_kept_then_delivered_once(
    warehouse: Warehouse, directors: None, smtp_port: int, request
) -> None:
    settings = _settings(smtp_port)
    _queue(warehouse, settings)

    down = deliver_due(warehouse, settings, now=NOW)
    with warehouse.cursor() as cur:
        after_failure = list_outbox(cur).row(0, named=True)
    too_soon = deliver_due(warehouse, settings, now=NOW + timedelta(seconds=30))
    inbox = request.getfixturevalue("inbox")  # the server comes up now
    up = deliver_due(warehouse, settings, now=NOW + timedelta(seconds=61))
    again = deliver_due(warehouse, settings, now=NOW + timedelta(hours=1))

    assert (down.attempted, down.failed) == (1, 1)
    assert after_failure["status"] == "retrying"
    assert str(smtp_port) in after_failure["last_error"]
    # First failure: next try after the base wait, 60 s.
    assert after_failure["next_attempt_at"] == NOW + timedelta(seconds=60)
    assert (too_soon.attempted, too_soon.waiting) == (0, 1)
    assert (up.attempted, up.delivered) == (1, 1)
    assert again.attempted == 0
    assert len(inbox.messages) == 1
    assert _attempts(warehouse) == [
        (1, "failed", False, NOW + timedelta(seconds=60)),
        (2, "delivered", True, None),
    ]


def test_deliver_due_user_without_email_kept_with_reason(
    warehouse: Warehouse, rows, smtp_port: int, inbox: Inbox
) -> None:
    rows.user("d1", "track_director", tracks=["汽车"])
    settings = _settings(smtp_port)
    _queue(warehouse, settings)

    report = deliver_due(warehouse, settings, now=NOW)
    with warehouse.cursor() as cur:
        cur.execute("UPDATE users SET email = 'd1@x.cn' WHERE name = 'd1'")
    later = deliver_due(warehouse, settings, now=NOW + timedelta(minutes=2))

    assert report.failed == 1
    assert "d1" in report.errors[0] and "email" in report.errors[0]
    assert later.delivered == 1
    assert [m.rcpt_tos for m in inbox.messages] == [["d1@x.cn"]]


def test_deliver_due_webhook_failing_first_then_once(
    warehouse: Warehouse, directors: None, smtp_port: int, inbox: Inbox
) -> None:
    chat = ChatServer(answers=[(503, {"error": "busy"}), (200, {"errcode": 0})])
    try:
        settings = _settings(smtp_port, webhooks={"汽车": chat.url})
        _queue(warehouse, settings)

        first = deliver_due(warehouse, settings, now=NOW)
        second = deliver_due(warehouse, settings, now=NOW + timedelta(seconds=61))
        third = deliver_due(warehouse, settings, now=NOW + timedelta(hours=2))
    finally:
        chat.close()

    # Run 1: e-mail delivered, webhook 503. Run 2: webhook only. Run 3: nothing.
    assert (first.delivered, first.failed) == (1, 1)
    assert (second.attempted, second.delivered) == (1, 1)
    assert third.attempted == 0
    assert len(chat.posts) == 2
    headers, body = chat.posts[-1]
    with warehouse.cursor() as cur:
        [(key, address)] = cur.execute(
            "SELECT m.idempotency_key, a.address FROM outbox_messages m"
            " JOIN outbox_attempts a USING (message_id)"
            " WHERE m.channel = 'webhook' AND a.outcome = 'delivered'"
        ).fetchall()
    assert body["idempotency_key"] == key == headers["Idempotency-Key"]
    assert body["msgtype"] == "text"
    assert "汽车" in body["text"]["content"]
    assert "secret" not in address  # the URL's token is not kept in the history


def test_deliver_due_webhook_errcode_is_failure(
    warehouse: Warehouse, directors: None, smtp_port: int, inbox: Inbox
) -> None:
    chat = ChatServer(answers=[(200, {"errcode": 93000, "errmsg": "invalid key"})])
    try:
        settings = _settings(smtp_port, webhooks={"汽车": chat.url})
        _queue(warehouse, settings)
        report = deliver_due(warehouse, settings, now=NOW)
    finally:
        chat.close()

    assert (report.delivered, report.failed) == (1, 1)
    assert "93000" in report.errors[0]


def test_deliver_due_ignore_backoff_retries_at_once(
    warehouse: Warehouse, directors: None, smtp_port: int, request
) -> None:
    settings = _settings(smtp_port)
    _queue(warehouse, settings)
    deliver_due(warehouse, settings, now=NOW)
    inbox = request.getfixturevalue("inbox")

    report = deliver_due(warehouse, settings, now=NOW, ignore_backoff=True)

    assert report.delivered == 1
    assert len(inbox.messages) == 1
