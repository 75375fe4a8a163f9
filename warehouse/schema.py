"""Schema versions: ordered upgrade scripts applied in place, never a rebuild.

Each file `upgrades/NNNN_name.sql` is one version. A warehouse records the
versions it has in `schema_version`; opening it applies the missing ones in
order, each inside its own transaction.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

import duckdb

log = logging.getLogger(__name__)

_UPGRADE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def upgrades() -> list[tuple[int, str, str]]:
    """Every shipped upgrade as (version, file name, SQL text), in order."""
    folder = resources.files("warehouse").joinpath("upgrades")
    found = []
    for entry in folder.iterdir():
        match = _UPGRADE_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text("utf-8")))
    return sorted(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest schema version applied to this warehouse (0 when new)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def upgrade(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the upgrades this warehouse lacks; return the version it is now at."""
    version = current_version(con)
    for number, name, text in upgrades():
        if number <= version:
            continue

        con.execute("BEGIN TRANSACTION")
        try:
            for statement in split_statements(text):
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                [number, name],
            )
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

        log.info("warehouse upgraded to schema version %d (%s)", number, name)
        version = number
    return version


def split_statements(text: str) -> list[str]:
    """Split an upgrade script on semicolons that end a line.

    Upgrade scripts keep one statement per `;`-terminated paragraph and never
    put a semicolon at the end of a line inside a string literal.
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    parts = re.split(r";[ \t]*\n", "\n".join(lines) + "\n")
    return [part.strip() for part in parts if part.strip()]
