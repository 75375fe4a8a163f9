-- Review notes and tasks recorded for one account manager, newest month first,
-- in the viewer's scope: a director sees the notes of their tracks, a manager
-- their own, the CEO everything.
SELECT note_id, review_month, track, account_manager, kind, body, due_on,
       written_by, recorded_at
FROM review_notes AS n
WHERE n.account_manager = $account_manager
    AND n.review_month <= date_trunc('month', CAST($as_of AS DATE))
    AND ($sees_all OR list_contains(CAST($tracks AS VARCHAR[]), n.track)
         OR n.account_manager = $manager)
ORDER BY review_month DESC, note_id DESC
