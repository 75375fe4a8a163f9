"""The one owner of the DuckDB file: lazy connection, cursors and transactions.

A DuckDB connection is not safe to share between threads, and Streamlit runs
each session's script on its own thread. So the warehouse keeps one parent
connection and hands every caller a fresh `cursor()` of it, closed after use.
Nothing connects at import time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse import schema

log = logging.getLogger(__name__)

DEFAULT_DB = "forecast.duckdb"


def configured_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: an explicit path, else $FORECAST_DB, else the default."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("FORECAST_DB") or DEFAULT_DB)


class Warehouse:
    """An embedded DuckDB warehouse file, opened on first use and upgraded in place."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._parent: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def connect(self) -> duckdb.DuckDBPyConnection:
        """The parent connection; opening it applies any pending schema upgrade."""
        with self._lock:
            if self._parent is None:
                self._parent = self._open()
            return self._parent

    def _open(self) -> duckdb.DuckDBPyConnection:
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path), read_only=self.read_only)
        if not self.read_only:
            schema.upgrade(con)
        log.debug("opened warehouse %s (read_only=%s)", self.path, self.read_only)
        return con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one caller (one thread, one script run)."""
        cur = self.connect().cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside BEGIN … COMMIT that rolls back on any error.

        DuckDB silently discards a batch on COMMIT after a failed statement
        instead of raising, so the rollback is explicit and the error re-raised.
        """
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        """Close the file so that another process may open it."""
        with self._lock:
            if self._parent is not None:
                self._parent.close()
                self._parent = None

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
