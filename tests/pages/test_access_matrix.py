"""Sign-in and role-based pages under AppTest, with the sample's demo accounts.

Which role sees which page is written here from SPEC §1 and the access issue,
not read back from ui.navigation: managers and directors do not load data, and
managers do not open the monthly manager review.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import load_file
from tests.pages.conftest import PAGES, RUN_TIMEOUT
from ui.auth import SESSION_KEY, SignedIn
from warehouse import Warehouse
from warehouse.sign_in import DEMO_PASSWORD, hash_password
from warehouse.users import add_user

BY_ROLE = {
    "account_manager": "王磊",
    "track_director": "周涛",
    "ceo": "陈建国",
    "analyst": "孙丽",
    "admin": "赵敏",
}
EVERY_PAGE = (
    "overview",
    "track",
    "review",
    "alerts",
    "dual_version",
    "accuracy",
    "commodity",
    "conversion",
    "history",
    "migrations",
    "upload",
)
HIDDEN = {
    "account_manager": {"review", "upload"},
    "track_director": {"upload"},
    "ceo": {"upload"},
    "analyst": set(),
    "admin": set(),
}
SCRIPT_ALERT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


def opened(page, name: str) -> bool:
    """Whether the page is in this user's navigation (it runs when it is)."""
    try:
        at = page.open(name)
    except ValueError:
        return False
    assert not at.exception, (name, [e.value for e in at.exception])
    assert not at.error, (name, [e.value for e in at.error])
    return True


@pytest.mark.parametrize("role", sorted(BY_ROLE))
def test_navigation_offers_each_role_its_pages(dashboard, sample_db, role) -> None:
    page = dashboard(sample_db)
    page.start(user=BY_ROLE[role])

    seen = {name: opened(page, name) for name in EVERY_PAGE}

    assert seen == {name: name not in HIDDEN[role] for name in EVERY_PAGE}


@pytest.mark.parametrize(
    ("role", "name", "refusal"),
    [
        ("ceo", "upload", "只有经营分析或系统管理员可以"),
        ("track_director", "upload", "只有经营分析或系统管理员可以"),
        ("account_manager", "upload", "只有经营分析或系统管理员可以"),
        ("account_manager", "review", "不能查看客户经理月度复盘"),
    ],
)
def test_sensitive_page_reached_directly_refuses(
    sample_db, monkeypatch, role, name, refusal
) -> None:
    # The page file run on its own, as Streamlit does when a first request
    # names it, by a signed-in user whose role may not use it.
    monkeypatch.setenv("FORECAST_DB", str(sample_db))
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=RUN_TIMEOUT)
    at.session_state[SESSION_KEY] = SignedIn(BY_ROLE[role], "password", datetime.now())

    at.run()

    assert not at.exception, [e.value for e in at.exception]
    assert refusal in at.error[0].value
    assert not at.title and not at.file_uploader and not at.dataframe


def test_page_reached_directly_without_sign_in_shows_nothing(
    sample_db, monkeypatch
) -> None:
    monkeypatch.setenv("FORECAST_DB", str(sample_db))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=RUN_TIMEOUT)

    at.run()

    assert not at.exception
    assert "请先登录" in at.info[0].value
    assert not at.metric and not at.dataframe


def test_sign_in_page_lists_demo_accounts_on_sample(dashboard, sample_db) -> None:
    at = dashboard(sample_db).at.run()

    accounts = at.dataframe[0].value

    assert at.title[0].value == "登录"
    assert not at.metric, "no figure before signing in"
    assert len(accounts) == 24
    assert set(accounts["password"]) == {DEMO_PASSWORD}
    assert accounts.iloc[0]["name"] == "陈建国"
    assert DEMO_PASSWORD in at.caption[-1].value


def sign_in_form(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.main.button[0].click().run()


def test_sign_in_page_lists_no_accounts_elsewhere(dashboard, db_path) -> None:
    with Warehouse(db_path) as wh:
        add_user(wh, "ada", "admin", password_hash=hash_password("ada-secret"))

    at = dashboard(db_path).at.run()

    assert not at.dataframe, "no demo accounts outside the sample"
    assert sign_in_form(at, "ada", DEMO_PASSWORD).error
    assert sign_in_form(at, "ada", "ada-secret").title[0].value != "登录"
    assert not at.exception


def test_wrong_password_and_unknown_user_same_error(dashboard, writable_db) -> None:
    at = dashboard(writable_db).at.run()

    wrong = sign_in_form(at, "王磊", "wrong-password").error[0].value
    unknown = sign_in_form(at, "没有这个人", "wrong-password").error[0].value

    assert wrong == unknown
    assert wrong.startswith("用户名或密码不正确")
    assert at.title[0].value == "登录"


def test_lockout_after_five_failures_refuses_right_password(
    dashboard, writable_db
) -> None:
    at = dashboard(writable_db).at.run()

    for _ in range(5):
        sign_in_form(at, "王磊", "wrong-password")
    sign_in_form(at, "王磊", DEMO_PASSWORD)

    assert "已被暂时锁定" in at.error[0].value
    assert at.title[0].value == "登录"


def test_sign_out_returns_to_sign_in(dashboard, sample_db) -> None:
    at = dashboard(sample_db).start(user="周涛")
    assert "周涛" in at.sidebar.caption[0].value

    at.sidebar.button(key="sign_out").click().run()

    assert at.title[0].value == "登录"
    assert SESSION_KEY not in at.session_state


def test_idle_session_expires(dashboard, sample_db, settings) -> None:
    at = dashboard(sample_db).start(user="周涛")
    idle = timedelta(minutes=settings.session_idle_minutes, seconds=1)
    signed = at.session_state[SESSION_KEY]
    at.session_state[SESSION_KEY] = SignedIn(
        signed.name, signed.method, datetime.now() - idle
    )

    at.run()

    assert at.title[0].value == "登录"
    assert "已自动退出" in at.info[0].value


def test_single_sign_on_matches_email(dashboard, writable_db) -> None:
    with Warehouse(writable_db) as wh:
        add_user(wh, "钱多", "ceo", email="qian.duo@example.com")
    page = dashboard(writable_db)
    page.at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    page.at.user = {"is_logged_in": True, "email": "Qian.Duo@example.com"}

    at = page.at.run()

    assert not at.exception, [e.value for e in at.exception]
    assert "钱多" in at.sidebar.caption[0].value


def test_single_sign_on_unknown_email_refused(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    page.at.user = {"is_logged_in": True, "email": "stranger@example.com"}

    at = page.at.run()

    assert at.title[0].value == "登录"
    assert "stranger@example.com" in at.error[0].value
    assert at.main.button(key="sign_in_sso")


@pytest.fixture
def html_named(writable_db: Path, tmp_path: Path) -> Path:
    """A manager, a user and a deal whose names are markup and script."""
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "deal_id,deal_name,business_line,track,account_manager,customer,phase,"
        "stage,created_on\n"
        f"OPP-HTML-1,{SCRIPT_ALERT},integrated,汽车,{BOLD},{BOLD},opportunity,"
        "M Potential,2026-10-01\n",
        encoding="utf-8",
    )
    forecasts = tmp_path / "forecasts.csv"
    forecasts.write_text(
        "deal_id,version,submitted_at,month,order_amount,mold_sets,mold_sales,"
        "product_sales\nOPP-HTML-1,rolling,2026-11-01 09:00,2026-12,500000,1,0,0\n",
        encoding="utf-8",
    )
    with Warehouse(writable_db) as wh:
        load_file(wh, "deals", deals)
        load_file(wh, "forecasts", forecasts)
        add_user(
            wh,
            SCRIPT_ALERT,
            "account_manager",
            account_manager=BOLD,
            password_hash=hash_password(DEMO_PASSWORD),
        )
    return writable_db


def test_html_named_user_and_deal_shown_as_text(dashboard, html_named) -> None:
    page = dashboard(html_named)
    at = page.start(user=SCRIPT_ALERT)

    at = page.open("track")
    at.selectbox(key="manager").set_value(BOLD).run()

    assert not at.exception, [e.value for e in at.exception]
    # Markdown elements carry the names escaped, so they render literally.
    assert at.sidebar.caption[0].value.startswith(
        "已登录：\\<script\\>alert(1)\\</script\\>"
    )
    assert "\\<b\\>x\\</b\\>" in at.subheader[1].value
    deals = at.dataframe[1].value
    assert list(deals["deal_name"]) == [SCRIPT_ALERT]
    assert list(deals["customer"]) == [BOLD]
