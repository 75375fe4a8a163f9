"""Rows written straight into the warehouse tables, for hand-computed cases.

The rules' tests do not go through the loaders: each case inserts the few
deals, forecast submissions, quotes, shipments, orders, targets and snapshot
rows it needs, with amounts given as text so that they stay exact.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb

Amount = int | str | Decimal


def _money(amount: Amount) -> Decimal:
    return Decimal(str(amount))


class FactsBuilder:
    """Insert extract and snapshot rows; defaults: track T1, manager amy."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self.cur = cur
        self._numbers = 0

    def _next(self, prefix: str) -> str:
        self._numbers += 1
        return f"{prefix}{self._numbers:05d}"

    def deal(
        self,
        deal_id: str,
        *,
        phase: str = "opportunity",
        stage: str = "M Potential",
        track: str = "T1",
        manager: str = "amy",
        business_line: str = "integrated",
        profit_center: str | None = None,
        secured_on: str | None = None,
        project_id: str | None = None,
        created_on: str = "2025-10-01",
    ) -> None:
        """A CRM deal (latest loaded attributes)."""
        self.cur.execute(
            "INSERT INTO deals (deal_id, deal_name, business_line, track,"
            " account_manager, profit_center, customer, phase, stage, created_on,"
            " secured_on, project_id, load_id)"
            " VALUES (?, ?, ?, ?, ?, ?, 'ACME', ?, ?, ?, ?, ?, 1)",
            [
                deal_id,
                f"Deal {deal_id}",
                business_line,
                track,
                manager,
                profit_center,
                phase,
                stage,
                date.fromisoformat(created_on),
                date.fromisoformat(secured_on) if secured_on else None,
                project_id,
            ],
        )

    def forecast(
        self,
        deal_id: str,
        submitted_at: str,
        month: str,
        *,
        version: str = "rolling",
        order: Amount = 0,
        sets: int = 0,
        mold: Amount = 0,
        product: Amount = 0,
    ) -> None:
        """One month of one forecast submission; month is 'YYYY-MM'."""
        self.cur.execute(
            "INSERT INTO forecasts (deal_id, version, submitted_at, month,"
            " order_amount, mold_sets, mold_sales, product_sales, load_id)"
            " VALUES (?, ?, CAST(? AS TIMESTAMP), CAST(? AS DATE), ?, ?, ?, ?, 1)",
            [
                deal_id,
                version,
                submitted_at,
                f"{month}-01",
                _money(order),
                sets,
                _money(mold),
                _money(product),
            ],
        )

    def quote(
        self, deal_id: str, stage: str, quoted_on: str, amount: Amount = 0
    ) -> None:
        """A CRM quote of a deal at a stage."""
        self.cur.execute(
            "INSERT INTO quotes (quote_id, deal_id, stage, quoted_on, amount, load_id)"
            " VALUES (?, ?, ?, CAST(? AS DATE), ?, 1)",
            [self._next("Q"), deal_id, stage, quoted_on, _money(amount)],
        )

    def shipment(
        self,
        month: str,
        amount: Amount,
        *,
        deal_id: str = "",
        project_id: str = "",
        kind: str = "product",
        source: str = "ERP",
        plan_or_actual: str = "actual",
    ) -> None:
        """One shipment row of a month ('YYYY-MM') by deal and/or project ('' blank)."""
        self.cur.execute(
            "INSERT INTO shipments (month, deal_id, project_id, kind, amount, source,"
            " plan_or_actual, load_id) VALUES (CAST(? AS DATE), ?, ?, ?, ?, ?, ?, 1)",
            [
                f"{month}-01",
                deal_id,
                project_id,
                kind,
                _money(amount),
                source,
                plan_or_actual,
            ],
        )

    def order(
        self,
        order_date: str,
        net_value: Amount,
        *,
        business_line: str = "integrated",
        track: str = "T1",
        manager: str = "amy",
        profit_center: str | None = None,
        deal_id: str | None = None,
    ) -> None:
        """One SAP order."""
        self.cur.execute(
            "INSERT INTO orders (order_no, order_date, business_line, track,"
            " account_manager, profit_center, deal_id, net_value, load_id)"
            " VALUES (?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, 1)",
            [
                self._next("SO"),
                order_date,
                business_line,
                track,
                manager,
                profit_center,
                deal_id,
                _money(net_value),
            ],
        )

    def target(
        self,
        month: int,
        amount: Amount,
        *,
        year: int = 2026,
        business_line: str = "integrated",
        metric: str = "sales",
        track: str = "",
        manager: str = "",
        profit_center: str = "",
    ) -> None:
        """One target row ('' where not split by a dimension)."""
        self.cur.execute(
            "INSERT INTO targets (year, business_line, metric, month, track,"
            " account_manager, profit_center, amount, load_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [
                year,
                business_line,
                metric,
                month,
                track,
                manager,
                profit_center,
                _money(amount),
            ],
        )

    def wip(
        self, month: str, project_id: str, planned: Amount, *, track: str = "T1"
    ) -> None:
        """One WIP sales plan row."""
        self.cur.execute(
            "INSERT INTO wip_plan (month, project_id, track, planned_sales, load_id)"
            " VALUES (CAST(? AS DATE), ?, ?, ?, 1)",
            [f"{month}-01", project_id, track, _money(planned)],
        )

    def snapshot(self, label: str) -> None:
        """The header row of a monthly snapshot labelled 'YYYY-MM'."""
        self.cur.execute(
            "INSERT INTO snapshots (label, month, as_of, taken_at, taken_by,"
            " deal_count, forecast_rows, content_sha256, chain_sha256)"
            " VALUES (?, CAST(? AS DATE), CAST(? AS DATE), current_timestamp, 'test',"
            " 0, 0, 'x', 'x')",
            [label, f"{label}-01", f"{label}-05"],
        )

    def snapshot_deal(
        self,
        label: str,
        deal_id: str,
        effective_phase: str,
        *,
        track: str = "T1",
        manager: str = "amy",
        business_line: str = "integrated",
    ) -> None:
        """A deal as a snapshot froze it, in an effective phase."""
        phase, stage = {
            "opportunity": ("opportunity", "M Potential"),
            "mold_development": ("mold_development", "Secured"),
            "mass_production": ("mass_production", "Secured"),
            "lost": ("opportunity", "Lost"),
        }[effective_phase]
        self.cur.execute(
            "INSERT INTO snapshot_deals (label, deal_id, business_line, track,"
            " account_manager, phase, stage, effective_phase, created_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, DATE '2025-10-01')",
            [
                label,
                deal_id,
                business_line,
                track,
                manager,
                phase,
                stage,
                effective_phase,
            ],
        )

    def snapshot_forecast(
        self,
        label: str,
        deal_id: str,
        month: str,
        *,
        version: str = "rolling",
        order: Amount = 0,
        mold: Amount = 0,
        product: Amount = 0,
    ) -> None:
        """One month of a submission frozen in a snapshot."""
        self.cur.execute(
            "INSERT INTO snapshot_forecasts (label, deal_id, version, submitted_at,"
            " month, order_amount, mold_sets, mold_sales, product_sales)"
            " VALUES (?, ?, ?, CAST(? AS TIMESTAMP), CAST(? AS DATE), ?, 0, ?, ?)",
            [
                label,
                deal_id,
                version,
                f"{label}-01 09:00:00",
                f"{month}-01",
                _money(order),
                _money(mold),
                _money(product),
            ],
        )
