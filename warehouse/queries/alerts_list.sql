-- Stored alerts with their current status (the latest event), the handling
-- conclusion and escalation note, and whether each is overdue on $today (past
-- its due date and still open). Filters are skipped when their parameter is
-- null; scope as in the board. Parameters: $today, $kind, $status, $track,
-- $alert_ids, $sees_all, $tracks, $account_manager.
WITH latest AS (
    SELECT alert_id, arg_max(status, event_id) AS status
    FROM alert_events
    GROUP BY alert_id
),
handled AS (
    SELECT alert_id, arg_max(note, event_id) AS conclusion
    FROM alert_events
    WHERE status = 'handled'
    GROUP BY alert_id
),
escalated AS (
    SELECT alert_id, arg_max(note, event_id) AS escalation_note
    FROM alert_events
    WHERE status = 'escalated'
    GROUP BY alert_id
),
listed AS (
    SELECT
        a.alert_id, a.kind, CAST(a.business_line AS VARCHAR) AS business_line,
        a.subject_type, a.subject, a.period, a.track, a.account_manager,
        a.profit_center, a.deal_id, a.route, a.direction,
        CAST(a.figures AS VARCHAR) AS figures, a.raised_on, a.due_on,
        coalesce(l.status, 'open') AS status,
        h.conclusion,
        e.escalation_note,
        coalesce(l.status, 'open') = 'open' AND a.due_on IS NOT NULL
            AND a.due_on < $today AS overdue
    FROM alerts AS a
    LEFT JOIN latest AS l ON l.alert_id = a.alert_id
    LEFT JOIN handled AS h ON h.alert_id = a.alert_id
    LEFT JOIN escalated AS e ON e.alert_id = a.alert_id
    WHERE ($sees_all OR list_contains($tracks, a.track) OR a.account_manager = $account_manager)
)
SELECT *
FROM listed
WHERE ($kind IS NULL OR kind = $kind)
    AND ($status IS NULL OR status = $status OR ($status = 'overdue' AND overdue))
    AND ($track IS NULL OR track = $track)
    AND ($alert_ids IS NULL OR list_contains($alert_ids, alert_id))
ORDER BY alert_id
