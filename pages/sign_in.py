"""登录 Sign in: a local account (name and password) or single sign-on.

The only page anyone sees before signing in. On the sample warehouse it lists
the demo accounts of every role with their password; on any other warehouse
it lists none, since accounts exist only once an admin has created them.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import auth, data, errors
from ui.i18n import t, term
from warehouse.sign_in import DEMO_PASSWORD


def scope(role: str, tracks: tuple[str, ...]) -> str:
    """What the account sees, in words: everything, its tracks, or its own deals."""
    if role == "track_director":
        return "、".join(tracks)
    return t("auth.scope_own") if role == "account_manager" else t("auth.scope_all")


st.title(t("page.sign_in"))
st.caption(t("auth.caption"))

if auth.take_expired_notice():
    st.info(t("auth.expired", minutes=data.settings().session_idle_minutes))

# A sign-in form reads best narrow; the demo accounts take the other side.
form_side, accounts_side = st.columns([2, 3], gap="large")

with form_side:
    if auth.sso_configured():
        refused = auth.sso_refusal()
        if refused is not None:
            errors.show(refused)
            # Another provider account needs the provider's session ended first.
            if st.button(t("auth.sso_switch"), key="sign_in_sso_switch"):
                st.logout()
        if st.button(t("auth.sso"), type="primary", key="sign_in_sso"):
            with errors.shown():
                auth.start_single_sign_on()
        st.divider()

    with st.form("sign_in"):
        name = st.text_input(t("auth.name"), key="sign_in_name")
        password = st.text_input(
            t("auth.password"), type="password", key="sign_in_password"
        )
        if st.form_submit_button(t("auth.submit"), type="primary"):
            with errors.shown():
                auth.sign_in_with_password(name, password)
                st.rerun()
    st.caption(t("auth.forgot"))

accounts = data.demo_accounts()
if accounts:
    with accounts_side:
        st.subheader(t("auth.demo"))
        st.caption(t("auth.demo_caption", password=DEMO_PASSWORD))
        st.dataframe(
            pl.DataFrame(
                {
                    "name": [a.name for a in accounts],
                    "role": [term("role", a.role) for a in accounts],
                    "scope": [scope(a.role, a.tracks) for a in accounts],
                    "password": [a.password for a in accounts],
                }
            ),
            hide_index=True,
            height=35 * (len(accounts) + 1) + 3,
            column_config={
                "name": t("auth.name"),
                "role": t("auth.role"),
                "scope": t("auth.scope"),
                "password": t("auth.password"),
            },
        )
