"""AppTest fixtures: the sample warehouse built once, and the dashboard driven headless.

AppTest re-reads a pages/ folder beside the entry script as the old automatic
page discovery and then reruns a page without dashboard.py; the tests therefore
start the dashboard from a one-line entry script in a temporary folder, which
is how `streamlit run dashboard.py` behaves once st.navigation has run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rules.settings import load_settings
from warehouse import Warehouse
from warehouse.demo import SAMPLE_AS_OF, build_sample
from warehouse.sign_in import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
PAGES = ROOT / "pages"

# A page run on a busy machine can take a few seconds; this only bounds a hang.
RUN_TIMEOUT = 120


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample warehouse, built once for the session and then only read."""
    path = tmp_path_factory.mktemp("dashboard") / "sample.duckdb"
    with Warehouse(path) as wh:
        build_sample(wh)
    return path


@pytest.fixture
def writable_db(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample for a test that writes."""
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, path)
    return path


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    """An entry script that runs dashboard.py, away from its pages/ folder."""
    folder = tmp_path / "entry"
    folder.mkdir()
    script = folder / "app.py"
    script.write_text(
        f"import runpy\nrunpy.run_path({str(DASHBOARD)!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    return script


class Dashboard:
    """The dashboard under AppTest, opened on one warehouse file."""

    def __init__(self, entry: Path) -> None:
        self.entry = entry
        self.at = AppTest.from_file(str(entry), default_timeout=RUN_TIMEOUT)

    def start(self, user: str = "陈建国", lang: str | None = None) -> AppTest:
        """Run the entry script, pick the language, and sign in (the CEO by default).

        Every sample user's password is the demo one (docs/access.md).
        """
        self.at.run()
        if lang is not None:
            self.at.button_group(key="lang").set_value(lang).run()
        self.at.text_input(key="sign_in_name").input(user)
        self.at.text_input(key="sign_in_password").input(DEMO_PASSWORD)
        self.at.main.button[0].click().run()
        return self.at

    def open(self, page: str) -> AppTest:
        """Switch to pages/<page>.py and run it."""
        relative = os.path.relpath(PAGES / f"{page}.py", self.entry.parent)
        return self.at.switch_page(relative).run()


@pytest.fixture
def dashboard(
    entry: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path], Dashboard]:
    """Open the dashboard on a warehouse file (FORECAST_DB points to it)."""

    def open_on(db: Path) -> Dashboard:
        monkeypatch.setenv("FORECAST_DB", str(db))
        return Dashboard(entry)

    return open_on


@pytest.fixture
def sample_warehouse(sample_db: Path) -> Iterator[Warehouse]:
    """The sample warehouse for computing expected figures; closed afterwards."""
    wh = Warehouse(sample_db)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def settings():
    """The default settings, as the dashboard loads them."""
    return load_settings()


@pytest.fixture(scope="session")
def as_of():
    """The sample's as-of date, which the dashboard opens on."""
    return SAMPLE_AS_OF
