"""数据上传 Upload under AppTest: a bad file is refused whole, a good one loads."""

from __future__ import annotations

from pathlib import Path

from warehouse import Warehouse


def counts(db: Path) -> tuple[int, int, int]:
    """(forecast rows, order rows, load log rows), straight from the warehouse."""
    with Warehouse(db) as wh, wh.cursor() as cur:
        return cur.execute(
            "SELECT (SELECT count(*) FROM forecasts), (SELECT count(*) FROM orders),"
            " (SELECT count(*) FROM load_log)"
        ).fetchall()[0]


def good_orders(db: Path) -> bytes:
    """Two new commodity SAP orders, GB18030 as Excel on Chinese Windows saves them."""
    with Warehouse(db) as wh, wh.cursor() as cur:
        track, manager, centre = cur.execute(
            "SELECT track, account_manager, profit_center FROM orders"
            " WHERE business_line = 'commodity' ORDER BY order_no LIMIT 1"
        ).fetchall()[0]
    text = (
        "销售凭证,凭证日期,业务类型,赛道,客户经理,利润中心,客户,净值,货币\n"
        f'T-9000001,2026/11/20,商品模,{track},{manager},{centre},测试客户,"12,345.60",CNY\n'
        f"T-9000002,2026年11月21日,商品模,{track},{manager},{centre},测试客户,800,CNY\n"
    )
    return text.encode("gb18030")


def open_upload(dashboard, db: Path):
    page = dashboard(db)
    page.start(user="孙丽")
    return page.open("upload")


def test_upload_page_refused_for_ceo(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.start()

    # The CEO's navigation has no upload page at all.
    try:
        page.open("upload")
    except ValueError:
        return
    raise AssertionError("the upload page must not be registered for the CEO")


def test_upload_bad_file_shows_every_problem_and_writes_nothing(
    dashboard, writable_db
) -> None:
    before = counts(writable_db)
    at = open_upload(dashboard, writable_db)
    bad = (
        "商机编号,预测版本,提交时间,月份,接单金额\n"
        "OPP-NONE,滚动,2026-11-01,2026-13,abc\n"
    ).encode("gb18030")

    at.selectbox(key="upload_kind").set_value("forecasts")
    at.file_uploader[0].set_value(("bad.csv", bad, "text/csv"))
    at.run()

    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value.startswith("发现 3 个问题")
    report = at.dataframe[0].value
    assert sorted(report["column"]) == ["商机编号", "接单金额", "月份"]
    assert [button.disabled for button in at.main.button] == [True]
    assert counts(writable_db) == before


def test_upload_good_gb18030_file_loads_after_check(dashboard, writable_db) -> None:
    forecasts, orders, loads = counts(writable_db)
    at = open_upload(dashboard, writable_db)

    at.selectbox(key="upload_kind").set_value("orders")
    at.file_uploader[0].set_value(
        ("十一月订单.csv", good_orders(writable_db), "text/csv")
    )
    at.run()
    assert at.success[0].value.startswith("校验通过：共 2 行。")

    at.main.button[0].click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert counts(writable_db) == (forecasts, orders + 2, loads + 1)
    log = at.dataframe[-1].value
    assert log["file_name"].iloc[0] == "十一月订单.csv"
