"""Who is signed in to this dashboard session: a local account or single sign-on.

A session holds only the signed-in user's name, how they signed in and when
they were last seen. Every script run reads their role and scope again from
the warehouse (so a change of role applies at once) and signs the session out
once it has been idle for `session_idle_minutes`. Passwords are checked, and
every attempt recorded, by warehouse.sign_in; nothing here decides what a user
may see — the warehouse functions do, given the actor returned by current().
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

import streamlit as st

from ui import data
from ui.i18n import both
from warehouse import sign_in
from warehouse.errors import ForecastError, NotFound, PermissionDenied
from warehouse.users import Actor, resolve

log = logging.getLogger(__name__)

# Limitation: a local-account session lives in st.session_state, i.e. in the
# tab's connection — reloading the page signs the user out (Streamlit cannot
# set a cookie); single sign-on survives through the provider's cookie.
SESSION_KEY = "_forecast_signed_in"
_EXPIRED_KEY = "_forecast_session_expired"
_SSO_REFUSED_KEY = "_forecast_sso_refused"


@dataclass(frozen=True)
class SignedIn:
    """The session's user: their name, "password" or "sso", and last activity."""

    name: str
    method: str
    last_seen: datetime


def sso_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section (OIDC via st.login)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current(now: datetime | None = None) -> Actor | None:
    """The signed-in user of this session, or None (never the local operator)."""
    now = now or datetime.now()
    signed = st.session_state.get(SESSION_KEY)
    if signed is None:
        return _from_single_sign_on(now)

    if sign_in.session_expired(signed.last_seen, now, data.settings()):
        log.info("session of %s expired after idling", signed.name)
        sign_out(expired=True)
        return None

    try:
        with data.cursor() as cur:
            actor = resolve(cur, signed.name)
    except NotFound:
        # The user was removed while signed in.
        sign_out()
        return None
    st.session_state[SESSION_KEY] = replace(signed, last_seen=now)
    return actor


def sign_in_with_password(name: str, password: str) -> Actor:
    """Check a name and password (lock-out applies) and start the session."""
    with data.held() as wh:
        actor = sign_in.authenticate(wh, name, password, settings=data.settings())
    _start(actor.name, "password")
    return actor


def start_single_sign_on() -> None:
    """Send the user to the identity provider (st.login); they come back signed in."""
    st.session_state.pop(_SSO_REFUSED_KEY, None)
    try:
        st.login()
    except Exception as error:  # Authlib missing or [auth] incomplete
        log.warning("single sign-on could not start: %s", error)
        raise ForecastError(*both("auth.sso_unavailable")) from error


def sign_out(*, expired: bool = False) -> None:
    """End the session (and the provider's, after single sign-on)."""
    signed = st.session_state.pop(SESSION_KEY, None)
    if expired:
        st.session_state[_EXPIRED_KEY] = True
    if signed is not None and signed.method == "sso" and _provider_signed_in():
        st.logout()


def take_expired_notice() -> bool:
    """Whether the last session ended by idling; asked once, by the sign-in page."""
    return bool(st.session_state.pop(_EXPIRED_KEY, False))


def sso_refusal() -> PermissionDenied | None:
    """Why the provider's account could not sign in here, if it could not."""
    refused = st.session_state.get(_SSO_REFUSED_KEY)
    return refused if isinstance(refused, PermissionDenied) else None


def _start(name: str, method: str) -> None:
    st.session_state[SESSION_KEY] = SignedIn(name, method, datetime.now())
    st.session_state.pop(_EXPIRED_KEY, None)
    st.session_state.pop(_SSO_REFUSED_KEY, None)
    log.info("%s signed in to the dashboard (%s)", name, method)


def _provider_signed_in() -> bool:
    return sso_configured() and bool(st.user.get("is_logged_in"))


def _from_single_sign_on(now: datetime) -> Actor | None:
    # The provider has confirmed an e-mail address; match it to one user, once
    # per provider sign-in (a refusal is kept, not retried on every rerun).
    if not _provider_signed_in() or st.session_state.get(_SSO_REFUSED_KEY):
        return None

    email = str(st.user.get("email") or "")
    try:
        with data.held() as wh:
            actor = sign_in.sign_in_with_email(wh, email, now=now)
    except PermissionDenied as refused:
        st.session_state[_SSO_REFUSED_KEY] = refused
        return None
    _start(actor.name, "sso")
    return actor
