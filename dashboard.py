"""The sales-forecast dashboard: `streamlit run dashboard.py`.

Opens on the warehouse in $FORECAST_DB (default forecast.duckdb), building the
sample into it first on a fresh machine. Nobody sees a figure before signing in
(a local account, or single sign-on when .streamlit/secrets.toml has [auth]);
the page list then follows the signed-in user's role, and every figure their
scope. The sidebar picks the language and the as-of date.
"""

from __future__ import annotations

import streamlit as st

from ui import auth, errors, navigation, sidebar
from ui.i18n import t

# Key figures in 万元 run to "115,415.00 万元": a slightly smaller metric font
# keeps four of them on a row without cutting the unit off. Static CSS only.
_STYLE = "<style>[data-testid='stMetricValue'] { font-size: 1.7rem; }</style>"

st.set_page_config(page_title=t("app.title"), layout="wide")
st.html(_STYLE)

with errors.shown():
    sidebar.language()
    actor = auth.current()
    if actor is None:
        navigation.sign_in().run()
    else:
        with sidebar.rendered(actor) as view:
            pages = navigation.for_role(view.actor.role)
            errors.show_notice()
            pages.run()
