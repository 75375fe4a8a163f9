"""历史 History under AppTest: snapshot verification, baseline, changes, trace."""

from __future__ import annotations

from warehouse.snapshots import list_snapshots, verify_chain


def test_history_shows_every_snapshot_and_verdict(
    dashboard, sample_db, sample_warehouse
) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("history")

    with sample_warehouse.cursor() as cur:
        labels = [s.label for s in list_snapshots(cur)]
        verdict = verify_chain(cur)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == verdict.text("zh")
    assert list(at.dataframe[0].value["label"]) == labels


def test_history_changes_between_last_two_snapshots(dashboard, sample_db) -> None:
    page = dashboard(sample_db)
    page.start(user="陈建国")
    at = page.open("history")

    assert not at.exception, [e.value for e in at.exception]
    # Tables: snapshots, baseline, changes by track, deals behind one change.
    summary = at.dataframe[2].value
    assert set(summary.columns) >= {"track", "change", "deals", "difference"}
    assert summary["deals"].sum() > 0
