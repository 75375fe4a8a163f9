"""The sidebar every page shares: language, as-of date and the signed-in user.

The entry script draws the language switch first (the sign-in page needs it
too), then, once someone is signed in, the rest: the as-of date, who is signed
in with a sign-out button, and which warehouse this is. The page list and its
titles depend on the language and on the user's role; pages then read the
choices with `current()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import streamlit as st

from ui import auth, data
from ui import format as fmt
from ui.i18n import LANGUAGES, t, term
from warehouse import drilldown
from warehouse.sign_in import session_expired
from warehouse.users import Actor

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


def language() -> None:
    """Draw the language switch, first in the sidebar and also before sign-in."""
    st.sidebar.segmented_control(
        t("sidebar.language"),
        LANGUAGES,
        format_func=_LANGUAGE_NAMES.__getitem__,
        default="zh",
        required=True,
        key="lang",
        bind="query-params",
    )


def render(actor: Actor) -> View:
    """Draw the rest of the sidebar for the signed-in user; return the choices."""
    with data.cursor() as cur:
        facts = drilldown.warehouse_facts(cur)
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

    _account(actor)
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


def _account(actor: Actor) -> None:
    # Names come from users and the CRM: shown as text, never as markup.
    st.sidebar.divider()
    st.sidebar.caption(
        t(
            "auth.signed_in_as",
            name=fmt.plain(actor.name),
            role=term("role", actor.role),
        )
    )
    if actor.tracks:
        st.sidebar.caption(t("auth.tracks", tracks=fmt.plain("、".join(actor.tracks))))
    if st.sidebar.button(t("auth.sign_out"), key="sign_out"):
        auth.sign_out()
        st.rerun()
    _idle_watch()


@st.fragment(run_every=timedelta(minutes=1))
def _idle_watch() -> None:
    # Signs an idle session out without waiting for a click, so that a screen
    # left open shows the sign-in page again; a fragment run is not activity.
    signed = st.session_state.get(auth.SESSION_KEY)
    if signed is not None and session_expired(
        signed.last_seen, datetime.now(), data.settings()
    ):
        auth.sign_out(expired=True)
        st.rerun(scope="app")


@contextmanager
def rendered(actor: Actor) -> Iterator[View]:
    """Draw the sidebar for one script run; its choices are forgotten afterwards."""
    try:
        yield render(actor)
    finally:
        # A page must never read the choices of an earlier run.
        st.session_state.pop(_VIEW_KEY, None)


def current() -> View:
    """The sidebar's choices made earlier in this script run.

    Streamlit runs a file in pages/ on its own, without the entry script, when
    a server's very first request names that page (the pages/ folder
    convention of older versions, active until st.navigation first runs); the
    page then draws the sidebar itself, and stops unless someone is signed in.
    """
    view = st.session_state.get(_VIEW_KEY)
    if view is not None:
        return view

    language()
    actor = auth.current()
    if actor is None:
        st.info(t("auth.sign_in_first"))
        st.stop()
    return render(actor)
