"""The page registry: which pages exist, in which section, for which roles.

Page files live in pages/ beside dashboard.py and are registered by absolute
path, so that links work whatever the working directory or entry script.
Before sign-in the navigation holds the sign-in page alone; after it, the
pages the user's role may use. Each page checks its action again itself
(`require_page`), so a page reached some other way still refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui import errors
from ui.i18n import t
from warehouse.access import require, role_may
from warehouse.errors import PermissionDenied
from warehouse.users import Actor

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file stem (also its URL), section, and the action it needs.

    `action` is the row of the permission matrix (warehouse.access) a role
    must hold for the page to be in its navigation at all.
    """

    name: str
    section: str
    action: str

    @property
    def path(self) -> Path:
        """The page script."""
        return PAGES_DIR / f"{self.name}.py"


# In the order of the monthly process: the meeting, the analysis behind it,
# then data and governance.
PAGES = (
    PageSpec("overview", "nav.meeting", "view_board"),
    PageSpec("track", "nav.meeting", "view_board"),
    PageSpec("review", "nav.meeting", "view_review"),
    PageSpec("alerts", "nav.meeting", "view_alerts"),
    PageSpec("dual_version", "nav.analysis", "view_board"),
    PageSpec("accuracy", "nav.analysis", "view_board"),
    PageSpec("commodity", "nav.analysis", "view_board"),
    PageSpec("conversion", "nav.analysis", "view_board"),
    PageSpec("history", "nav.governance", "view_history"),
    PageSpec("migrations", "nav.governance", "view_migrations"),
    PageSpec("upload", "nav.governance", "load_extract"),
)


def page(name: str) -> Path:
    """The script of a page by name, for st.switch_page and st.page_link."""
    return next(spec.path for spec in PAGES if spec.name == name)


def for_role(role: str) -> StreamlitPage:
    """The navigation of the pages this role may open, grouped by section."""
    sections: dict[str, list[StreamlitPage]] = {}
    for spec in PAGES:
        if role_may(role, spec.action):
            sections.setdefault(t(spec.section), []).append(
                st.Page(
                    spec.path,
                    title=t(f"page.{spec.name}"),
                    url_path=spec.name,
                    default=spec.name == "overview",
                )
            )
    return st.navigation(sections)


def sign_in() -> StreamlitPage:
    """The navigation before anyone is signed in: the sign-in page, whatever the URL."""
    return st.navigation(
        [
            st.Page(
                PAGES_DIR / "sign_in.py",
                title=t("page.sign_in"),
                url_path="sign_in",
                default=True,
            )
        ],
        position="hidden",
    )


def require_page(actor: Actor, name: str) -> None:
    """Stop the page, showing why, unless the actor may use page `name`."""
    action = next(spec.action for spec in PAGES if spec.name == name)
    try:
        require(actor, action)
    except PermissionDenied as refused:
        errors.show(refused)
        st.stop()
