"""The sales-forecast dashboard: `streamlit run dashboard.py`.

Opens on the warehouse in $FORECAST_DB (default forecast.duckdb), building the
sample into it first on a fresh machine. The sidebar picks the language, the
as-of date and whose view to show; the page list follows that viewer's role.
"""

from __future__ import annotations

import streamlit as st

from ui import errors, navigation, sidebar
from ui.i18n import t

# Key figures in 万元 run to "115,415.00 万元": a slightly smaller metric font
# keeps four of them on a row without cutting the unit off. Static CSS only.
_STYLE = "<style>[data-testid='stMetricValue'] { font-size: 1.7rem; }</style>"

st.set_page_config(page_title=t("app.title"), layout="wide")
st.html(_STYLE)

with errors.shown(), sidebar.rendered() as view:
    pages = navigation.for_role(view.actor.role)
    errors.show_notice()
    pages.run()
