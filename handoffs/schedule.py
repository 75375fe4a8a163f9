"""The scheduled daily run (`forecast run-due --as-of D`): what the calendar asks.

Every step is idempotent, so that a timer may fire twice, or an operator run
the command again by hand, without doing anything twice:

1. in the first days of a month, the month's snapshot, unless it exists;
2. every day, the alert check (which holds the 25th-day rule and raises
   low_accuracy for closed months with a snapshot) — an alert is raised once;
3. once a month, last month's weighted accuracy recorded in the audit log, as
   soon as last month has a snapshot;
4. then notify: messages queued for alerts that have none, and delivery of
   whatever is due (a delivered message is never sent again).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from handoffs.delivery import DeliveryReport, NotifyReport, notify
from rules.money import json_ratio
from rules.period import month_label
from rules.settings import Settings
from warehouse import audit
from warehouse.access import require
from warehouse.alerts import run_check
from warehouse.board import accuracy_by_month
from warehouse.connection import Warehouse
from warehouse.snapshots import take_snapshot
from warehouse.users import OPERATOR, resolve

log = logging.getLogger(__name__)

# Managers update their forecasts at the start of the month (process step P3);
# the snapshot is taken by the first run of days 1 … this day. A month whose
# snapshot was not taken by then is reported, not taken late, because a late
# snapshot would already know part of the month it is meant to forecast.
SNAPSHOT_WINDOW_DAYS = 5


@dataclass(frozen=True)
class RunReport:
    """What one run did; empty lists and None mean nothing new."""

    as_of: date
    snapshot_taken: str | None
    snapshot_missing: str | None
    alerts_raised: list[dict[str, Any]]
    accuracy_recorded: str | None
    queued: int
    delivery: DeliveryReport

    @property
    def nothing_new(self) -> bool:
        """True when the run took, raised, recorded, queued and sent nothing."""
        return not (
            self.snapshot_taken
            or self.alerts_raised
            or self.accuracy_recorded
            or self.queued
            or self.delivery.attempted
        )

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON object."""
        return {
            "as_of": self.as_of.isoformat(),
            "snapshot_taken": self.snapshot_taken,
            "snapshot_missing": self.snapshot_missing,
            "alerts_raised": self.alerts_raised,
            "accuracy_recorded": self.accuracy_recorded,
            "queued": self.queued,
            "delivery": {
                "attempted": self.delivery.attempted,
                "delivered": self.delivery.delivered,
                "failed": self.delivery.failed,
                "waiting": self.delivery.waiting,
                "errors": list(self.delivery.errors),
            },
            "nothing_new": self.nothing_new,
        }


def run_due(
    warehouse: Warehouse,
    as_of: date,
    settings: Settings,
    user_name: str = OPERATOR.name,
    *,
    now: datetime | None = None,
    snapshot_window_days: int = SNAPSHOT_WINDOW_DAYS,
) -> RunReport:
    """Do what the calendar asks on day D, each step once however often it runs."""
    with warehouse.cursor() as cur:
        require(resolve(cur, user_name), "run_schedule")

    taken, missing = _monthly_snapshot(
        warehouse, as_of, user_name, snapshot_window_days
    )
    raised = run_check(warehouse, as_of, settings, user_name)
    recorded = _record_last_month_accuracy(warehouse, as_of, settings, user_name)
    notified: NotifyReport = notify(warehouse, settings, today=as_of, now=now)

    report = RunReport(
        as_of=as_of,
        snapshot_taken=taken,
        snapshot_missing=missing,
        alerts_raised=[
            {"alert_id": a.alert_id, "kind": a.kind, "track": a.track} for a in raised
        ],
        accuracy_recorded=recorded,
        queued=notified.queued,
        delivery=notified.delivery,
    )
    log.info("run-due %s: %s", as_of, json.dumps(report.to_json(), ensure_ascii=False))
    return report


def _monthly_snapshot(
    warehouse: Warehouse, as_of: date, user_name: str, window_days: int
) -> tuple[str | None, str | None]:
    label = month_label(as_of.replace(day=1))
    with warehouse.cursor() as cur:
        exists = cur.execute(
            "SELECT count(*) FROM snapshots WHERE label = ?", [label]
        ).fetchall()[0][0]
    if exists:
        return None, None

    if as_of.day > window_days:
        log.warning(
            "the snapshot of %s was not taken in days 1–%d; take it by hand with "
            "`forecast snapshot --month %s` if the month should still have one",
            label,
            window_days,
            label,
        )
        return None, label

    take_snapshot(warehouse, label, as_of=as_of, user_name=user_name)
    return label, None


def _record_last_month_accuracy(
    warehouse: Warehouse, as_of: date, settings: Settings, user_name: str
) -> str | None:
    first = as_of.replace(day=1)
    last_month = (
        date(first.year - 1, 12, 1)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    label = month_label(last_month)

    with warehouse.transaction() as cur:
        done = cur.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'accuracy.record'"
            " AND subject = ?",
            [label],
        ).fetchall()[0][0]
        if done:
            return None

        # Limitation: recorded once, at the first run after last month has a
        # snapshot — actuals loaded later move the board's figure, not this one.
        rows = accuracy_by_month(cur, last_month.year, as_of, settings, OPERATOR)
        months = [row for row in rows if row.month == label and row.accuracy]
        if not months:
            # No snapshot of last month: no accuracy, shown as missing, never 0.
            return None

        audit.record(
            cur,
            user_name,
            "accuracy.record",
            label,
            {
                (row.track or "total"): {
                    "weighted": json_ratio(row.accuracy.weighted),
                    "opportunity": json_ratio(row.accuracy.opportunity.accuracy),
                    "mold_development": json_ratio(
                        row.accuracy.mold_development.accuracy
                    ),
                    "mass_production": json_ratio(
                        row.accuracy.mass_production.accuracy
                    ),
                }
                for row in months
                if row.accuracy is not None
            },
        )
    log.info("weighted accuracy of %s recorded", label)
    return label
