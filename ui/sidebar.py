"""The sidebar every page shares: language, as-of date and "viewing as".

The entry script renders it before the navigation, because the page list and
its titles depend on the language and on the viewer's role; pages then read the
choices with `current()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import streamlit as st

from ui import data
from ui.i18n import LANGUAGES, both, t
from warehouse import drilldown
from warehouse.users import OPERATOR, Actor, list_users, resolve

_VIEW_KEY = "_forecast_view"
_LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


@dataclass(frozen=True)
class View:
    """The sidebar's choices for this script run, shared by every page."""

    lang: str
    scope: data.Scope
    is_sample: bool

    @property
    def as_of(self) -> date:
        """The as-of date D."""
        return self.scope.as_of

    @property
    def actor(self) -> Actor:
        """The user whose view is shown."""
        return self.scope.actor


def render() -> View:
    """Draw the sidebar and return the viewer's choices for this run."""
    st.sidebar.segmented_control(
        t("sidebar.language"),
        LANGUAGES,
        format_func=_LANGUAGE_NAMES.__getitem__,
        default="zh",
        required=True,
        key="lang",
        bind="query-params",
    )

    with data.cursor() as cur:
        facts = drilldown.warehouse_facts(cur)
        users = list_users(cur)
        version = drilldown.data_version(cur)

    is_sample = facts.get("sample") == "true"
    default_as_of = (
        date.fromisoformat(facts["sample_as_of"])
        if is_sample and "sample_as_of" in facts
        else date.today()
    )
    as_of = st.sidebar.date_input(
        t("sidebar.as_of"),
        value=default_as_of,
        help=t("sidebar.as_of_help"),
        key="as_of",
        bind="query-params",
    )

    actor = _viewing_as(users, is_sample)

    if is_sample:
        st.sidebar.info(t("sidebar.sample", as_of=facts.get("sample_as_of", "—")))
    st.sidebar.caption(t("sidebar.warehouse", path=data.open_warehouse().path.name))

    scope = data.Scope(
        db=str(data.open_warehouse().path), version=version, as_of=as_of, actor=actor
    )
    view = View(
        lang=st.session_state.get("lang", "zh"), scope=scope, is_sample=is_sample
    )
    st.session_state[_VIEW_KEY] = view
    return view


# Limitation: "viewing as" is a choice, not a sign-in: whoever reaches the
# dashboard may view as anyone — bites until warehouse/sign_in.py is wired in here.
def _viewing_as(users: list[dict[str, object]], is_sample: bool) -> Actor:
    names = [OPERATOR.name] + [str(user["name"]) for user in users]
    roles = {str(user["name"]): str(user["role"]) for user in users}
    roles[OPERATOR.name] = OPERATOR.role

    # The sample opens on the CEO's view, the meeting it is built for; a real
    # warehouse opens as the local operator until sign-in exists.
    ceo = next((n for n in names if roles[n] == "ceo"), None)
    default = names.index(ceo) if is_sample and ceo else 0

    # The labels stay the same in both languages: a selectbox keeps its choice
    # by label, and switching language must not switch the viewer.
    def label(name: str) -> str:
        if name == OPERATOR.name:
            return " / ".join(both("sidebar.operator"))
        zh, en = both(f"role.{roles[name]}")
        return f"{name} · {zh}" if zh == en else f"{name} · {zh} / {en}"

    chosen = st.sidebar.selectbox(
        t("sidebar.viewing_as"),
        names,
        index=default,
        format_func=label,
        help=t("sidebar.viewing_as_help"),
        key="viewing_as",
    )
    with data.cursor() as cur:
        return resolve(cur, chosen)


@contextmanager
def rendered() -> Iterator[View]:
    """Draw the sidebar for one script run; its choices are forgotten afterwards."""
    try:
        yield render()
    finally:
        # A page must never read the choices of an earlier run.
        st.session_state.pop(_VIEW_KEY, None)


def current() -> View:
    """The sidebar's choices made earlier in this script run.

    Streamlit runs a file in pages/ on its own, without the entry script, when
    a server's very first request names that page (the pages/ folder
    convention of older versions, active until st.navigation first runs); the
    page then draws the sidebar itself.
    """
    view = st.session_state.get(_VIEW_KEY)
    return view if view is not None else render()
