"""Cached reads for the pages: one warehouse per process, one cursor per script run.

DuckDB connections are not thread-safe and Streamlit runs every session on its
own thread, so the process keeps one `Warehouse` (st.cache_resource) and each
read takes its own cursor, closed afterwards. The file is also closed whenever no
read or write is running, so that the `forecast` command line can open it
between page views (DuckDB lets one process at a time hold a file).

Everything cached here is keyed by a `Scope`: the file, a data version that
changes with every write, the as-of date and the viewer; a load also clears the
cache outright. Hand-off files (meeting pack, APS export) are built here on
request and kept in the session, since every build is audited.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from handoffs.aps_export import build_aps_export
from handoffs.meeting_pack import build_meeting_pack
from handoffs.outbox import list_outbox
from rules.settings import Settings, load_settings
from ui.i18n import both, t
from warehouse import Warehouse, configured_path, drilldown
from warehouse import board as boards
from warehouse.access import require
from warehouse.alerts import Alert, list_alerts
from warehouse.baselines import current_baseline
from warehouse.board import AccuracyRow, Board, CommodityAttainment
from warehouse.demo import build_sample
from warehouse.errors import ForecastError
from warehouse.migrations import MigrationInfo, list_migrations
from warehouse.sign_in import DemoAccount
from warehouse.sign_in import demo_accounts as sample_accounts
from warehouse.snapshots import SnapshotInfo, VerifyResult, list_snapshots, verify_chain
from warehouse.trace import TraceEvent, deal_trace
from warehouse.users import Actor

log = logging.getLogger(__name__)

_build_lock = threading.Lock()
_hold_lock = threading.Lock()
_holders: dict[str, int] = {}


@dataclass(frozen=True)
class Scope:
    """What a cached read depends on: which file, which data, which day, whom."""

    db: str
    version: tuple[int, ...]
    as_of: date
    actor: Actor

    @property
    def year(self) -> int:
        """The year Y of the as-of date."""
        return self.as_of.year


def open_warehouse() -> Warehouse:
    """The process's one Warehouse, building the sample first on a fresh machine."""
    path = configured_path().resolve()

    if not path.exists():
        # Two sessions arriving at once must not both build the sample.
        with _build_lock, st.spinner(t("sample.building")):
            if not path.exists():
                _build_sample(path)

    return _shared_warehouse(str(path))


@st.cache_resource(show_spinner=False)
def _shared_warehouse(path: str) -> Warehouse:
    return Warehouse(path)


def _build_sample(path: Path) -> None:
    # Built aside and moved into place, so that a build cut short never
    # leaves a half-filled file that would then be taken for a warehouse.
    building = path.with_name(path.name + ".building")
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)

    log.info("no warehouse at %s: building the sample into it", path)
    with Warehouse(building) as wh:
        build_sample(wh)
    os.replace(building, path)


@contextmanager
def held() -> Iterator[Warehouse]:
    """The warehouse, kept open while the caller reads or writes and closed after.

    Writes go through warehouse/ functions that take the Warehouse and open
    their own transaction; reads use `cursor()` below.
    """
    wh = open_warehouse()
    key = str(wh.path)

    with _hold_lock:
        _holders[key] = _holders.get(key, 0) + 1
    try:
        try:
            wh.connect()
        except duckdb.IOException as error:
            raise ForecastError(*both("warehouse.busy", path=key)) from error
        yield wh
    finally:
        # Limitation: closing the file drops DuckDB's buffer cache, so a read
        # that misses st.cache_data starts cold — bites on the first view after
        # each write at SPEC §9 scale (a second or two per page).
        # The last holder closes the file; a holder arriving meanwhile waits on
        # the lock and then reopens it, so no cursor ever outlives its parent.
        with _hold_lock:
            _holders[key] -= 1
            if _holders[key] == 0:
                wh.close()


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one read, closed afterwards."""
    with held() as wh, wh.cursor() as cur:
        yield cur


def clear() -> None:
    """Forget every cached read, after a load or any other write."""
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The one Settings object (defaults, forecast.toml, FORECAST_* variables)."""
    return load_settings()


@st.cache_data(show_spinner=False, max_entries=64)
def board(scope: Scope) -> Board:
    """The board of SPEC §4/§7 as of D in the viewer's scope."""

    with cursor() as cur:
        return boards.build_board(cur, scope.as_of, settings(), scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def deal_expectations(scope: Scope) -> pl.DataFrame:
    """One row per integrated deal in scope with its expected revenue E for Y."""

    with cursor() as cur:
        return boards.deal_expectations(cur, scope.as_of, settings(), scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def accuracy_by_month(scope: Scope) -> list[AccuracyRow]:
    """Weighted accuracy of every closed month of Y, total and per track."""

    with cursor() as cur:
        return boards.accuracy_by_month(
            cur, scope.year, scope.as_of, settings(), scope.actor
        )


@st.cache_data(show_spinner=False, max_entries=64)
def commodity_attainment(scope: Scope) -> CommodityAttainment:
    """Commodity order attainment as of D: YTD and monthly per manager and centre."""

    with cursor() as cur:
        return boards.commodity_attainment(cur, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def wip_vs_actual(scope: Scope) -> pl.DataFrame:
    """Commodity WIP sales plan against actual shipments by month and track."""

    with cursor() as cur:
        return boards.wip_vs_actual(cur, scope.year, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def deals_in_scope(scope: Scope) -> pl.DataFrame:
    """Every deal the viewer may see, for pickers and lists."""
    with cursor() as cur:
        return drilldown.deals_in_scope(cur, scope.actor)


@st.cache_data(show_spinner=False, max_entries=256)
def deal_detail(scope: Scope, deal_id: str) -> drilldown.DealDetail:
    """A deal's attributes, both forecast versions by month, quotes and actuals."""
    with cursor() as cur:
        return drilldown.deal_detail(cur, deal_id, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def version_differences(scope: Scope) -> pl.DataFrame:
    """Every differing precision submission up to D in the viewer's scope."""
    with cursor() as cur:
        return drilldown.version_differences(cur, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=256)
def version_difference_months(
    scope: Scope, deal_id: str, precision_at: datetime
) -> pl.DataFrame:
    """One precision submission beside the rolling one current then, by month."""
    with cursor() as cur:
        return drilldown.version_difference_months(
            cur, deal_id, precision_at, scope.actor
        )


@st.cache_data(show_spinner=False, max_entries=64)
def conversion_deals(scope: Scope) -> pl.DataFrame:
    """Every deal created by D with its outcome and amounts."""
    with cursor() as cur:
        return drilldown.conversion_deals(cur, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def snapshot_changes(scope: Scope, from_label: str, to_label: str) -> pl.DataFrame:
    """The deals that changed between two snapshots, with their change."""
    with cursor() as cur:
        return drilldown.snapshot_changes(cur, from_label, to_label, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def commodity_pipeline(scope: Scope) -> pl.DataFrame:
    """Commodity opportunities by stage with their order amount in open months."""
    with cursor() as cur:
        return drilldown.commodity_pipeline(cur, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=64)
def review_notes(scope: Scope, account_manager: str) -> pl.DataFrame:
    """The review notes and tasks recorded for one manager up to D's month."""
    with cursor() as cur:
        return drilldown.review_notes(cur, account_manager, scope.as_of, scope.actor)


@st.cache_data(show_spinner=False, max_entries=16)
def load_log(scope: Scope) -> pl.DataFrame:
    """The latest load attempts, newest first."""
    with cursor() as cur:
        return drilldown.load_log(cur, actor=scope.actor)


@st.cache_data(show_spinner=False, max_entries=128)
def alerts(
    scope: Scope,
    kind: str | None = None,
    status: str | None = None,
    track: str | None = None,
) -> list[Alert]:
    """Stored alerts the viewer may see; overdue judged as of D."""

    with cursor() as cur:
        return list_alerts(
            cur, scope.actor, kind=kind, status=status, track=track, today=scope.as_of
        )


@st.cache_data(show_spinner=False, max_entries=256)
def trace(scope: Scope, deal_id: str) -> list[TraceEvent]:
    """Every forecast revision, snapshot, migration step and baseline of a deal."""

    with cursor() as cur:
        return deal_trace(cur, deal_id, scope.actor)


def outbox(scope: Scope) -> pl.DataFrame:
    """Every alert message the viewer may see, with its delivery status."""
    # A delivery attempt (`forecast notify`, run-due) is not in the data
    # version, so the outbox's own size keys the cache as well.
    with cursor() as cur:
        tried = cur.execute(
            "SELECT (SELECT count(*) FROM outbox_messages),"
            " (SELECT count(*) FROM outbox_attempts)"
        ).fetchall()[0]
    return _outbox(scope, (int(tried[0]), int(tried[1])))


@st.cache_data(show_spinner=False, max_entries=16)
def _outbox(scope: Scope, tried: tuple[int, int]) -> pl.DataFrame:
    with cursor() as cur:
        return list_outbox(cur, actor=scope.actor)


# The hand-off files a user can build, the permission each needs, and its MIME type.
HANDOFF_ACTIONS = {"pack": "build_pack", "aps": "export_aps"}
MIME_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class HandoffFile:
    """One built hand-off file kept in the session, with when it was built."""

    content: bytes
    file_name: str
    built_at: datetime

    @property
    def mime(self) -> str:
        """The MIME type of the file, from its extension."""
        return MIME_TYPES[self.file_name.rsplit(".", 1)[-1]]


def _handoff_key(kind: str, scope: Scope, fmt: str) -> str:
    return f"_handoff:{kind}:{scope.as_of.isoformat()}:{fmt}:{scope.actor.name}"


def built_handoff(kind: str, scope: Scope, fmt: str) -> HandoffFile | None:
    """The file built earlier in this session for this as-of, format and user."""
    return st.session_state.get(_handoff_key(kind, scope, fmt))


def build_handoff(kind: str, scope: Scope, fmt: str) -> HandoffFile:
    """Build the meeting pack ("pack") or APS export ("aps") and keep it in the session.

    Each build is audited by the handoffs functions, so it runs on a click,
    never on every rerun. The key is the as-of date, format and user: pressing
    the button again rebuilds the file with the data as it is then.
    """
    # Limitation: the kept file is not rebuilt when data is loaded later — bites
    # when a load falls between building and downloading; the page shows when
    # it was built. Its audit entry also moves the data version, so the next
    # page view misses the data cache — bites at SPEC §9 scale, once per build.
    require(scope.actor, HANDOFF_ACTIONS[kind])

    with held() as wh:
        if kind == "pack":
            content = build_meeting_pack(wh, scope.as_of, settings(), scope.actor, fmt)
            name = f"meeting-pack-{scope.as_of.isoformat()}.{fmt}"
        else:
            content = build_aps_export(wh, scope.as_of, scope.actor, fmt)
            name = f"aps-{scope.as_of.isoformat()}.{fmt}"

    built = HandoffFile(content, name, datetime.now())
    st.session_state[_handoff_key(kind, scope, fmt)] = built
    return built


def last_month(as_of: date) -> str:
    """The label YYYY-MM of the month before the as-of month."""
    year, month = (
        (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
    )
    return f"{year:04d}-{month:02d}"


@st.cache_data(show_spinner=False, max_entries=16)
def snapshots(scope: Scope) -> tuple[list[SnapshotInfo], int]:
    """Every snapshot, oldest first, and how many forecast rows they freeze."""
    with cursor() as cur:
        return list_snapshots(cur), drilldown.frozen_forecast_rows(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def verify(scope: Scope) -> VerifyResult:
    """The verdict of recomputing every snapshot's hash and the chain."""
    with cursor() as cur:
        return verify_chain(cur)


@st.cache_data(show_spinner=False, max_entries=64)
def baseline_comparison(scope: Scope) -> pl.DataFrame:
    """Each deal's current baseline for Y beside its expected revenue E today."""
    with cursor() as cur:
        baseline = current_baseline(cur, scope.year, scope.actor)
    return drilldown.baseline_comparison(
        baseline, deal_expectations(scope), deals_in_scope(scope)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def migrations(scope: Scope) -> list[MigrationInfo]:
    """Every migration the viewer may see, with status and due date at D."""
    with cursor() as cur:
        return list_migrations(cur, scope.actor, today=scope.as_of, settings=settings())


@st.cache_data(show_spinner=False, max_entries=16)
def baseline(scope: Scope) -> pl.DataFrame:
    """The latest baseline version of each deal the viewer may see, for year Y."""
    with cursor() as cur:
        return current_baseline(cur, scope.year, scope.actor)


def demo_accounts() -> list[DemoAccount]:
    """The sample's demo accounts for the sign-in page; none on other warehouses."""
    with cursor() as cur:
        version = drilldown.data_version(cur)
    return _demo_accounts(str(open_warehouse().path), version)


@st.cache_data(show_spinner=False, max_entries=4)
def _demo_accounts(db: str, version: tuple[int, ...]) -> list[DemoAccount]:
    # Checking the demo password is slow on purpose: once per data version.
    with cursor() as cur:
        return sample_accounts(cur)
