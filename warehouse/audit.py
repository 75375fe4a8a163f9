"""The append-only audit log: who did what, when, to which subject."""

from __future__ import annotations

import json
import logging
from typing import Any

import duckdb

log = logging.getLogger(__name__)


def record(
    cur: duckdb.DuckDBPyConnection,
    user_name: str,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry inside the caller's transaction."""
    cur.execute(
        "INSERT INTO audit_log (user_name, action, subject, detail)"
        " VALUES (?, ?, ?, ?)",
        [
            user_name,
            action,
            subject,
            json.dumps(detail or {}, ensure_ascii=False, default=str),
        ],
    )
    log.debug("audit %s %s %s", user_name, action, subject)
