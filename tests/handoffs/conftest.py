"""Fixtures of the hand-off tests: rows inserted straight into the extract tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from warehouse import Warehouse


class Rows:
    """Inserts hand-built extract rows, one SQL statement per row, load_id 0."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse

    def deal(
        self,
        deal_id: str,
        *,
        business_line: str = "integrated",
        track: str = "汽车",
        account_manager: str = "张三",
        profit_center: str | None = "PC1",
        customer: str | None = "客户甲",
        phase: str = "opportunity",
        stage: str = "M Potential",
        deal_name: str | None = None,
        created_on: date = date(2026, 1, 5),
        secured_on: date | None = None,
        project_id: str | None = None,
    ) -> None:
        """One CRM deal."""
        with self.warehouse.transaction() as cur:
            cur.execute(
                "INSERT INTO deals (deal_id, deal_name, business_line, track,"
                " account_manager, profit_center, customer, phase, stage, created_on,"
                " secured_on, project_id, load_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                [
                    deal_id,
                    deal_name or f"商机{deal_id}",
                    business_line,
                    track,
                    account_manager,
                    profit_center,
                    customer,
                    phase,
                    stage,
                    created_on,
                    secured_on,
                    project_id,
                ],
            )

    def forecast(
        self,
        deal_id: str,
        version: str,
        submitted_at: datetime,
        month: date,
        *,
        order_amount: str = "0",
        mold_sets: int = 0,
        mold_sales: str = "0",
        product_sales: str = "0",
    ) -> None:
        """One month of one forecast submission."""
        with self.warehouse.transaction() as cur:
            cur.execute(
                "INSERT INTO forecasts (deal_id, version, submitted_at, month,"
                " order_amount, mold_sets, mold_sales, product_sales, load_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                [
                    deal_id,
                    version,
                    submitted_at,
                    month,
                    Decimal(order_amount),
                    mold_sets,
                    Decimal(mold_sales),
                    Decimal(product_sales),
                ],
            )

    def quote(
        self, quote_id: str, deal_id: str, stage: str, quoted_on: date, amount: str
    ) -> None:
        """One CRM quote."""
        with self.warehouse.transaction() as cur:
            cur.execute(
                "INSERT INTO quotes (quote_id, deal_id, stage, quoted_on, amount,"
                " load_id) VALUES (?, ?, ?, ?, ?, 0)",
                [quote_id, deal_id, stage, quoted_on, Decimal(amount)],
            )

    def target(
        self,
        year: int,
        month: int,
        amount: str,
        *,
        business_line: str = "integrated",
        metric: str = "sales",
        track: str = "",
        account_manager: str = "",
        profit_center: str = "",
    ) -> None:
        """One target row ('' where the target is not split by that dimension)."""
        with self.warehouse.transaction() as cur:
            cur.execute(
                "INSERT INTO targets (year, business_line, metric, month, track,"
                " account_manager, profit_center, amount, load_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                [
                    year,
                    business_line,
                    metric,
                    month,
                    track,
                    account_manager,
                    profit_center,
                    Decimal(amount),
                ],
            )

    def user(
        self,
        name: str,
        role: str,
        *,
        tracks: list[str] | None = None,
        account_manager: str | None = None,
        email: str | None = None,
    ) -> None:
        """One user, as `forecast user add` would store it."""
        with self.warehouse.transaction() as cur:
            cur.execute(
                "INSERT INTO users (name, role, tracks, account_manager, email)"
                " VALUES (?, ?, ?, ?, ?)",
                [name, role, tracks or [], account_manager, email],
            )

    def query(
        self, text: str, params: list[Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Rows of a read-only query, for assertions."""
        with self.warehouse.cursor() as cur:
            return cur.execute(text, params or []).fetchall()


@pytest.fixture
def rows(warehouse: Warehouse) -> Rows:
    """A row inserter over the test's fresh warehouse."""
    return Rows(warehouse)
