"""The one place the dashboard shows the product's own errors and confirmations.

A ForecastError is a refusal the user can act on: it is shown as an error box in
the user's language and the page goes on. Anything else is a bug and still
surfaces as Streamlit's exception box. A confirmation after a write survives the
rerun that redraws the page with the new data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui.i18n import lang
from warehouse.errors import ForecastError

_NOTICE_KEY = "_forecast_notice"


def show(error: ForecastError) -> None:
    """Render one product error in the user's language."""
    st.error(error.text(lang()))


@contextmanager
def shown() -> Iterator[None]:
    """Run a block, showing a ForecastError it raises instead of crashing the page."""
    try:
        yield
    except ForecastError as error:
        show(error)


def done(message: str, *forget: str) -> None:
    """Confirm a write, then rerun so that every figure shows the new data.

    `forget` names widgets (such as a table's row selection) whose choice would
    point at a different row once the data has changed.
    """
    for key in forget:
        st.session_state.pop(key, None)
    st.session_state[_NOTICE_KEY] = message
    st.rerun()


def show_notice() -> None:
    """Show the confirmation left by the write that caused this rerun, once."""
    message = st.session_state.pop(_NOTICE_KEY, None)
    if message:
        st.success(message)
