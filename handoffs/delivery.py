"""Delivering the outbox: alert e-mail by SMTP and group-chat posts by webhook.

Delivery is at least once. A message is sent, then its attempt is recorded in
its own transaction; a crash between the two sends it again on the next run,
with the same idempotency key (the e-mail's Message-ID, the webhook's
`idempotency_key` field and Idempotency-Key header) so that the receiver can
drop the repeat. A failed attempt records the error and the earliest time of
the next one, base × 2^(failures − 1) later, capped; nothing is ever given up
or dropped. A delivered message is never sent again.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import duckdb

from handoffs.outbox import queue_missing
from rules.settings import DeliverySettings, Settings
from warehouse import sql
from warehouse.connection import Warehouse
from warehouse.users import OPERATOR

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """One attempt could not deliver a message; the text is stored with the attempt."""


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did: messages tried, delivered, failed, still waiting."""

    attempted: int
    delivered: int
    failed: int
    waiting: int
    errors: tuple[str, ...] = ()


def backoff(failures: int, delivery: DeliverySettings) -> timedelta:
    """Wait before the next attempt: base × 2^(failures − 1) seconds, capped."""
    exponent = max(failures - 1, 0)
    # The cap is applied before 2**n can grow past what timedelta accepts.
    seconds = delivery.retry_max_seconds
    if exponent < 40:
        seconds = min(delivery.retry_base_seconds * 2**exponent, seconds)
    return timedelta(seconds=seconds)


def deliver_due(
    warehouse: Warehouse,
    settings: Settings,
    *,
    now: datetime | None = None,
    ignore_backoff: bool = False,
) -> DeliveryReport:
    """Send every undelivered message whose next attempt is due, recording each try."""
    now = now or datetime.now()
    due_at = datetime.max if ignore_backoff else now
    with warehouse.cursor() as cur:
        due = _messages(cur, due_at)
        waiting = len(_messages(cur, datetime.max)) - len(due)

    delivered = failed = 0
    errors: list[str] = []
    with _SmtpChannel(settings.delivery) as smtp:
        for message in due:
            address = None
            try:
                address = _address(warehouse, message, settings.delivery)
                if message["channel"] == "email":
                    smtp.send(_email(message, address, settings.delivery))
                else:
                    _post(address, message, settings.delivery)
            except DeliveryFailed as error:
                failed += 1
                errors.append(f"#{message['message_id']} {error}")
                _record(warehouse, message, now, address, str(error), settings)
                continue

            delivered += 1
            _record(warehouse, message, now, address, None, settings)

    report = DeliveryReport(len(due), delivered, failed, waiting, tuple(errors))
    if due:
        log.info(
            "outbox: %d attempted, %d delivered, %d failed, %d waiting for back-off",
            report.attempted,
            report.delivered,
            report.failed,
            report.waiting,
        )
    return report


def _messages(cur: duckdb.DuckDBPyConnection, due_at: datetime) -> list[dict[str, Any]]:
    result = cur.execute(
        sql.query("handoffs", "outbox_status"),
        {
            "sees_all": True,
            "tracks": [],
            "account_manager": None,
            "status": None,
            "due_at": due_at,
        },
    )
    columns = [column[0] for column in result.description or []]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _address(
    warehouse: Warehouse, message: dict[str, Any], delivery: DeliverySettings
) -> str:
    kind, name = message["recipient_kind"], message["recipient"]

    if kind == "user":
        with warehouse.cursor() as cur:
            found = cur.execute(
                "SELECT email FROM users WHERE name = ?", [name]
            ).fetchall()
        if not found or not found[0][0]:
            raise DeliveryFailed(
                f"用户“{name}”没有电子邮箱地址：请为其登记 email 后再运行 "
                f"forecast notify。 / User '{name}' has no e-mail address: "
                "record one, then run `forecast notify` again."
            )
        return str(found[0][0])

    if kind == "mailbox":
        if not delivery.pdca_mailbox:
            raise DeliveryFailed(
                "未配置经营分析PDCA邮箱：请在设置 [delivery] pdca_mailbox 中填写后"
                "再运行 forecast notify。 / The business-analysis PDCA mailbox "
                "is not set: set [delivery] pdca_mailbox, then run "
                "`forecast notify` again."
            )
        return delivery.pdca_mailbox

    url = delivery.webhooks.get(name)
    if not url:
        raise DeliveryFailed(
            f"赛道“{name}”的群机器人地址已从设置中删除：请在 [delivery.webhooks] "
            f"中恢复。 / The webhook of track '{name}' is no longer in the "
            "settings: restore it under [delivery.webhooks]."
        )
    return url


def _email(
    message: dict[str, Any], address: str, delivery: DeliverySettings
) -> EmailMessage:
    # Lines up to SMTP's own limit, so that the long Message-ID is not folded
    # and reads back exactly as the idempotency key was written.
    email = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    email["Subject"] = message["subject"]
    email["From"] = delivery.sender
    email["To"] = address
    email["Date"] = formatdate(localtime=True)
    domain = delivery.sender.rpartition("@")[2] or "forecast.local"
    email["Message-ID"] = f"<{message['idempotency_key']}@{domain}>"
    email["X-Idempotency-Key"] = message["idempotency_key"]
    email.set_content(message["body"], charset="utf-8")
    return email


class _SmtpChannel:
    """One SMTP session per delivery run, opened at the first e-mail.

    A server that cannot be reached fails every e-mail of this run with the same
    error at once, rather than waiting out the timeout once per message.
    """

    def __init__(self, delivery: DeliverySettings) -> None:
        self.delivery = delivery
        self._client: smtplib.SMTP | None = None
        self._broken: str | None = None

    def __enter__(self) -> _SmtpChannel:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                self._client.close()
            self._client = None

    def send(self, email: EmailMessage) -> None:
        """Send one e-mail, reconnecting once if the server dropped the session."""
        for retry in (False, True):
            client = self._connect()
            try:
                refused = client.send_message(email)
            except smtplib.SMTPServerDisconnected as error:
                self._client = None
                if retry:
                    raise DeliveryFailed(f"SMTP: {error}") from error
                continue
            except (smtplib.SMTPException, OSError) as error:
                raise DeliveryFailed(f"SMTP: {error}") from error

            if refused:
                raise DeliveryFailed(f"SMTP refused recipients: {refused}")
            return

    def _connect(self) -> smtplib.SMTP:
        if self._broken:
            raise DeliveryFailed(self._broken)
        if self._client is not None:
            return self._client

        delivery = self.delivery
        try:
            client = smtplib.SMTP(
                delivery.smtp_host,
                delivery.smtp_port,
                timeout=delivery.smtp_timeout_seconds,
            )
            if delivery.smtp_starttls:
                client.starttls()
            if delivery.smtp_user:
                password = delivery.smtp_password
                client.login(
                    delivery.smtp_user,
                    password.get_secret_value() if password else "",
                )
        except (smtplib.SMTPException, OSError) as error:
            self._broken = (
                f"SMTP {delivery.smtp_host}:{delivery.smtp_port} unreachable: {error}"
            )
            raise DeliveryFailed(self._broken) from error

        self._client = client
        return client


def _post(url: str, message: dict[str, Any], delivery: DeliverySettings) -> None:
    # The text/content shape is what WeCom and DingTalk group robots accept;
    # the extra fields let any receiver recognise a repeat.
    payload = {
        "msgtype": "text",
        "text": {"content": f"{message['subject']}\n{message['body']}"},
        "idempotency_key": message["idempotency_key"],
        "alert_id": message["alert_id"],
        "kind": message["kind"],
        "track": message["track"],
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message["idempotency_key"],
        },
        method="POST",
    )

    try:
        with urllib.request.urlopen(
            request, timeout=delivery.webhook_timeout_seconds
        ) as response:
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"webhook HTTP {error.code}: {error.reason}") from error
    except OSError as error:
        raise DeliveryFailed(f"webhook unreachable: {error}") from error

    # Group robots answer 200 with {"errcode": N}; anything but 0 is a refusal.
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0):
        raise DeliveryFailed(
            f"webhook refused: errcode {answer.get('errcode')} "
            f"{answer.get('errmsg', '')}"
        )


def _record(
    warehouse: Warehouse,
    message: dict[str, Any],
    now: datetime,
    address: str | None,
    error: str | None,
    settings: Settings,
) -> None:
    failures = int(message["attempts"]) + 1
    next_attempt_at = None
    if error is not None:
        next_attempt_at = now + backoff(failures, settings.delivery)
        log.warning(
            "message %s to %s not delivered (attempt %d): %s; next try after %s",
            message["message_id"],
            message["recipient"],
            failures,
            error,
            next_attempt_at,
        )

    with warehouse.transaction() as cur:
        cur.execute(
            sql.query("handoffs", "outbox_attempt_insert"),
            {
                "message_id": message["message_id"],
                "attempted_at": now,
                "outcome": "failed" if error else "delivered",
                "address": _redacted(address),
                "error": error,
                "next_attempt_at": next_attempt_at,
            },
        )


def _redacted(address: str | None) -> str | None:
    # Webhook URLs carry their access token in the query string: keep it out
    # of the attempt history.
    if not address or "://" not in address:
        return address
    parts = urlsplit(address)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True)
class NotifyReport:
    """One `forecast notify`: messages queued for alerts that had none, then sent."""

    queued: int
    delivery: DeliveryReport


def notify(
    warehouse: Warehouse,
    settings: Settings,
    *,
    today: date | None = None,
    now: datetime | None = None,
    ignore_backoff: bool = False,
) -> NotifyReport:
    """Queue messages for stored alerts that have none, then deliver what is due."""
    # Imported here: warehouse.alerts itself imports the outbox to queue.
    from warehouse.alerts import list_alerts

    with warehouse.transaction() as cur:
        alerts = list_alerts(cur, OPERATOR, today=today or date.today())
        queued = queue_missing(cur, alerts, settings, now=now)

    report = deliver_due(warehouse, settings, now=now, ignore_backoff=ignore_backoff)
    return NotifyReport(len(queued), report)
