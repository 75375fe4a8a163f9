"""What the browser tests share: the chromium rule, the dashboard, the browser.

Each test module calls `require_browser()` at import and defines a module-scoped
`dashboard_db` fixture: the warehouse file its `streamlit run dashboard.py`
server starts on. The `server` and `browser` fixtures here do the rest.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from warehouse.sign_in import DEMO_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PAGE_TIMEOUT_MS = 60_000
# How long the server may take to answer /_stcore/health after it is started.
HEALTH_TIMEOUT_S = 60


def require_browser() -> None:
    """Skip the calling test module without chromium or playwright (CI must have it).

    Called at a test module's import: a skip raised from this conftest's own
    import would break running one browser test file by its path.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: install chromium", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(dashboard_db: Path) -> Iterator[str]:
    """`streamlit run dashboard.py` on the module's `dashboard_db`; its base URL."""
    port = free_port()
    env = {**os.environ, "FORECAST_DB": str(dashboard_db)}
    log_path = dashboard_db.parent / "streamlit.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log_path.read_text())
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, launched once per test module."""
    # Imported here: this conftest must load even where playwright is missing,
    # so that require_browser() can skip the modules instead.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def wait_for_sign_in_page(tab: Page, timeout_ms: int) -> None:
    """Wait until the sign-in page's heading is shown."""
    tab.get_by_role("heading", name="登录", exact=True).wait_for(timeout=timeout_ms)


def sign_in(tab: Page, name: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in the sign-in form and submit it (the demo password by default)."""
    tab.get_by_label("用户名").fill(name)
    tab.get_by_label("密码").fill(password)
    tab.get_by_role("button", name="登录", exact=True).click()


def settle(tab: Page, selector: str | None = None) -> None:
    """Wait until the selector (if given) is drawn and the script run has finished."""
    if selector is not None:
        tab.locator(selector).first.wait_for(timeout=PAGE_TIMEOUT_MS)

    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )
    tab.wait_for_timeout(1500)  # let the table canvases and charts paint


def pick(tab: Page, label: str, option: str) -> None:
    """Choose an option of a selectbox by typing it, as a user would."""
    box = tab.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    tab.keyboard.press("Enter")


def shoot(tab: Page, name: str) -> None:
    """Save a full-page screenshot of the tab to test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_exception_box(tab: Page) -> None:
    """Assert that the page shows no Streamlit exception box."""
    boxes = tab.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()
