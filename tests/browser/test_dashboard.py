"""The dashboard in Debian's chromium: a fresh machine, every page, a GB18030 upload.

Starts `streamlit run dashboard.py` on a warehouse file that does not exist yet
(so the dashboard builds the sample first), signs in with the demo accounts,
opens every page as the CEO and the upload page as the analyst, and saves
screenshots to test-artifacts/.
Skipped without /usr/bin/chromium, unless CI=true, where that is a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import (
    PAGE_TIMEOUT_MS,
    no_exception_box,
    pick,
    require_browser,
    settle,
    shoot,
    sign_in,
    wait_for_sign_in_page,
)

# Building the sample and the first page run share two busy cores with others.
START_TIMEOUT_MS = 180_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_browser()

# (url path, heading, a selector that holds the page's key figure)
PAGES = [
    ("", "总览 · 销售督导例会", '[data-testid="stMetricValue"]'),
    ("track", "赛道", '[data-testid="stMetricValue"]'),
    ("review", "客户经理复盘", '[data-testid="stDataFrame"]'),
    ("alerts", "告警", '[data-testid="stHeading"]'),
    ("dual_version", "双版本", '[data-testid="stMetricValue"]'),
    ("accuracy", "准确率", '[data-testid="stDataFrame"]'),
    ("commodity", "商品模", '[data-testid="stMetricValue"]'),
    ("conversion", "转化分析", '[data-testid="stMetricValue"]'),
    ("history", "历史", '[data-testid="stDataFrame"]'),
    ("migrations", "目标迁移", '[data-testid="stHeading"]'),
]


@pytest.fixture(scope="module")
def dashboard_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse path that does not exist yet, so the dashboard builds the sample."""
    return tmp_path_factory.mktemp("browser") / "fresh.duckdb"


@pytest.fixture(scope="module")
def page(browser, server):
    """One tab, signed in as the CEO on a fresh machine (the sample gets built)."""
    tab = browser.new_page(viewport={"width": 1440, "height": 2400})
    tab.goto(server + "/")
    wait_for_sign_in_page(tab, START_TIMEOUT_MS)
    sign_in(tab, "陈建国")
    tab.get_by_role("heading", name="总览 · 销售督导例会").wait_for(
        timeout=START_TIMEOUT_MS
    )
    yield tab
    tab.close()


def test_fresh_machine_opens_on_sample(page) -> None:
    settle(page, '[data-testid="stMetricValue"]')

    no_exception_box(page)
    assert page.get_by_text("当前是示例仓库").count() == 1
    assert "万元" in page.locator('[data-testid="stMetricValue"]').first.inner_text()
    shoot(page, "overview")


def test_chinese_glyphs_render_not_boxes(page) -> None:
    # Draw a CJK character and a private-use one (always a missing-glyph box)
    # with the page's font: without a CJK font the two images are identical.
    same = page.evaluate(
        """() => {
            const draw = (text) => {
                const canvas = document.createElement('canvas');
                canvas.width = 40; canvas.height = 40;
                const ctx = canvas.getContext('2d');
                ctx.font = '32px ' + getComputedStyle(document.body).fontFamily;
                ctx.fillText(text, 2, 32);
                return Array.from(ctx.getImageData(0, 0, 40, 40).data).join(',');
            };
            return draw('总') === draw('\\uE000');
        }"""
    )
    assert same is False


@pytest.mark.parametrize(
    ("path", "heading", "figure"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_page_renders_heading_and_key_figure(
    page, server, path, heading, figure
) -> None:
    # Through the navigation: a new page load would be a new, signed-out session.
    page.get_by_role("link", name=heading.split(" · ")[0], exact=True).click()
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(
        timeout=PAGE_TIMEOUT_MS
    )
    settle(page, figure)

    no_exception_box(page)
    shoot(page, path or "overview")


def test_upload_gb18030_file_through_browser(page, server, tmp_path) -> None:
    page.get_by_role("button", name="退出登录").click()
    wait_for_sign_in_page(page, START_TIMEOUT_MS)
    sign_in(page, "孙丽")
    page.get_by_role("link", name="数据上传").click()
    page.get_by_role("heading", name="数据上传", exact=True).wait_for(
        timeout=PAGE_TIMEOUT_MS
    )
    pick(page, "抽取类型", "orders")

    extract = tmp_path / "十一月补录订单.csv"
    extract.write_bytes(
        (
            "销售凭证,凭证日期,业务类型,赛道,客户经理,利润中心,客户,净值,货币\n"
            'B-7000001,2026/11/20,商品模,智能家居,郭婷,深圳模具中心,测试客户,"12,345.60",CNY\n'
        ).encode("gb18030")
    )
    page.locator('input[type="file"]').set_input_files(str(extract))
    page.get_by_text("校验通过：共 1 行。").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name="导入", exact=True).click()

    page.get_by_text("十一月补录订单.csv").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    settle(page, '[data-testid="stDataFrame"]')
    no_exception_box(page)
    assert page.locator('[data-testid="stAlertContentSuccess"]').count() >= 1
    shoot(page, "upload")
