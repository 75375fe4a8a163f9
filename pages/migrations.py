"""目标迁移 Migrations: request, approve or reject, execute — with due dates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import polars as pl
import streamlit as st

from ui import data, errors, navigation, sidebar, tables
from ui.i18n import both, t, term
from warehouse.access import role_may
from warehouse.errors import ForecastError
from warehouse.migrations import (
    approve_migration,
    execute_migration,
    reject_migration,
    request_migration,
)

view = sidebar.current()
navigation.require_page(view.actor, "migrations")
actor = view.actor
role = actor.role
st.title(t("page.migrations"))
st.caption(t("migrations.caption"))

migrations = data.migrations(view.scope)
tables.show(
    tables.migration_rows(migrations),
    tables.migration_columns(),
    status="status",
    status_kind="migration_status",
)


def amount_in_yuan(text: str) -> Decimal | None:
    """The typed amount as Decimal CNY; blank means the whole baseline."""
    try:
        return Decimal(text.replace(",", "")) if text.strip() else None
    except InvalidOperation as error:
        raise ForecastError(*both("migrations.bad_amount", value=text)) from error


if role_may(role, "request_migration"):
    st.subheader(t("migrations.request"))
    # Only an opportunity's baseline moves, and only to an opportunity: offer
    # the deals that were opportunities at the baseline, still are, and carry
    # baseline sales to move.
    opportunities = data.deals_in_scope(view.scope).filter(
        pl.col("effective_phase") == "opportunity"
    )
    movable = data.baseline(view.scope).filter(
        (pl.col("effective_phase") == "opportunity")
        & ~pl.col("locked")
        & (pl.col("sales") > 0)
        & pl.col("deal_id").is_in(opportunities["deal_id"].implode())
    )
    names = dict(zip(opportunities["deal_id"], opportunities["deal_name"], strict=True))
    if movable.is_empty():
        st.info(t("migrations.nothing_to_move"))
    else:
        with st.form("request_migration", clear_on_submit=True):
            from_deal = st.selectbox(t("migrations.from"), movable["deal_id"].to_list())
            to_deal = st.selectbox(t("migrations.to"), list(names))
            amount = st.text_input(
                t("migrations.amount_yuan"), help=t("migrations.amount_help")
            )
            reason = st.text_area(t("migrations.reason"))
            if st.form_submit_button(t("migrations.submit"), type="primary"):
                with errors.shown(), data.held() as wh:
                    migration_id = request_migration(
                        wh,
                        year=view.as_of.year,
                        from_deal=from_deal or "",
                        to_deal=to_deal or "",
                        amount=amount_in_yuan(amount),
                        reason=reason,
                        user_name=actor.name,
                    )
                    data.clear()
                    errors.done(t("migrations.requested", id=migration_id))

if role_may(role, "approve_migration"):
    waiting = {m.migration_id: m for m in migrations if m.status == "requested"}
    st.subheader(t("migrations.decide", count=len(waiting)))
    if waiting:
        with st.form("decide_migration"):
            chosen = st.selectbox(
                t("migrations.which"),
                list(waiting),
                format_func=lambda i: (
                    f"{i} · {waiting[i].from_deal} → {waiting[i].to_deal}"
                ),
            )
            note = st.text_area(t("migrations.note"), help=t("migrations.note_help"))
            approve, reject = st.columns(2)
            if approve.form_submit_button(t("migrations.approve"), type="primary"):
                with errors.shown(), data.held() as wh:
                    approve_migration(wh, chosen, user_name=actor.name, note=note)
                    data.clear()
                    errors.done(t("migrations.approved", id=chosen))
            if reject.form_submit_button(t("migrations.reject")):
                with errors.shown(), data.held() as wh:
                    reject_migration(wh, chosen, user_name=actor.name, note=note)
                    data.clear()
                    errors.done(t("migrations.rejected", id=chosen))

if role_may(role, "execute_migration"):
    approved = {m.migration_id: m for m in migrations if m.status == "approved"}
    st.subheader(t("migrations.execute", count=len(approved)))
    if approved:
        with st.form("execute_migration"):
            chosen = st.selectbox(
                t("migrations.which"),
                list(approved),
                format_func={
                    i: f"{i} · {m.from_deal} → {m.to_deal} · {due} {m.due_on}"
                    for i, m in approved.items()
                    for due in [t("migrations.due_on")]
                }.__getitem__,
            )
            if st.form_submit_button(t("migrations.run"), type="primary"):
                with errors.shown(), data.held() as wh:
                    execute_migration(wh, chosen, user_name=actor.name)
                    data.clear()
                    errors.done(t("migrations.executed", id=chosen))

if not any(
    role_may(role, action)
    for action in ("request_migration", "approve_migration", "execute_migration")
):
    st.caption(t("migrations.view_only", role=term("role", role)))
