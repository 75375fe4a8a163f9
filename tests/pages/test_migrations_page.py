"""目标迁移 Migrations under AppTest: the forms per role, and a request stored."""

from __future__ import annotations

import polars as pl

from loaders import load_file
from warehouse import Warehouse
from warehouse.baselines import current_baseline
from warehouse.migrations import list_migrations


def test_migrations_ceo_only_views(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.start()
    at = page.open("migrations")

    assert not at.exception, [e.value for e in at.exception]
    assert not at.main.button
    assert at.main.caption[-1].value == "当前查看身份（CEO）只能查看迁移记录。"


def reopen_one_baseline_opportunity(db, as_of, tmp_path) -> tuple[str, str]:
    """Send a deals row putting a baseline opportunity back in M Potential.

    Returns the deal and its account manager, who alone may ask to move it.

    By the sample's as-of date every baseline opportunity has been won or lost;
    a re-sent CRM row (latest wins) makes one movable again.
    """
    with Warehouse(db) as wh:
        with wh.cursor() as cur:
            baseline = current_baseline(cur, as_of.year).filter(
                (pl.col("effective_phase") == "opportunity") & (pl.col("sales") > 0)
            )
        deal_id = baseline["deal_id"][0]
        with wh.cursor() as cur:
            row = cur.execute(
                "SELECT track, account_manager, created_on FROM deals"
                " WHERE deal_id = ?",
                [deal_id],
            ).fetchall()[0]
        extract = tmp_path / "reopen.csv"
        extract.write_text(
            "商机编号,业务类型,赛道,客户经理,商机类型,商机阶段,创建日期\n"
            f"{deal_id},模塑一体,{row[0]},{row[1]},机会,M Potential,{row[2]}\n",
            encoding="utf-8",
        )
        load_file(wh, "deals", extract)
    return deal_id, row[1]


def test_migrations_request_is_stored(dashboard, writable_db, as_of, tmp_path) -> None:
    from_deal, manager = reopen_one_baseline_opportunity(writable_db, as_of, tmp_path)

    page = dashboard(writable_db)
    page.start(user=manager)
    at = page.open("migrations")
    to_deal = next(o for o in at.selectbox[1].options if o != from_deal)
    at.selectbox[0].set_value(from_deal)
    at.selectbox[1].set_value(to_deal)
    at.text_area[0].input("客户把需求转到新项目。")
    at.main.button[0].click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    with Warehouse(writable_db) as wh, wh.cursor() as cur:
        requests = list_migrations(cur, today=as_of)
    assert [(m.from_deal, m.to_deal, m.status) for m in requests] == [
        (from_deal, to_deal, "requested")
    ]
