"""客户经理复盘 Manager review under AppTest: the D2 checklist and review notes."""

from __future__ import annotations

import pytest

from warehouse import Warehouse


def open_review(dashboard, db, user):
    page = dashboard(db)
    page.start(user=user)
    return page.open("review")


def test_review_page_renders_for_director(dashboard, sample_db) -> None:
    at = open_review(dashboard, sample_db, "吴静")

    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "客户经理复盘"
    assert at.selectbox(key="review_track").options == ["医疗"]


def test_review_note_is_saved_and_listed(dashboard, writable_db) -> None:
    at = open_review(dashboard, writable_db, "吴静")
    manager = at.selectbox(key="review_manager").value

    at.text_area[0].input("12 月前推动项目进入 H Potential。")
    at.main.button[0].click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == f"已为 {manager} 保存复盘记录。"
    assert "12 月前推动项目进入 H Potential。" in list(at.dataframe[-1].value["body"])
    with Warehouse(writable_db) as wh, wh.cursor() as cur:
        audited = cur.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'review.note'"
        ).fetchall()
    assert audited == [(1,)]


def test_review_page_not_offered_to_account_manager(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.start(user="刘洋")

    with pytest.raises(ValueError, match="navigation page"):
        page.open("review")


def test_review_analyst_sees_no_note_form(dashboard, sample_db) -> None:
    at = open_review(dashboard, sample_db, "孙丽")

    assert not at.exception
    assert not at.main.button, "only the track's director or the CEO records notes"
