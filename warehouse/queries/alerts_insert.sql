-- Store the candidate alerts (registered as alert_candidates) whose identity
-- (kind, subject_type, subject, period) has never been raised; return their ids.
-- Parameters: $raised_on (the check's as-of date), $raised_by.
INSERT INTO alerts (
    alert_id, kind, business_line, subject_type, subject, period, track,
    account_manager, profit_center, deal_id, route, direction, figures,
    raised_on, due_on, raised_by
)
SELECT
    nextval('alert_id_seq'),
    c.kind,
    CAST(c.business_line AS business_line),
    c.subject_type,
    c.subject,
    c.period,
    c.track,
    c.account_manager,
    c.profit_center,
    c.deal_id,
    c.route,
    c.direction,
    CAST(c.figures AS JSON),
    $raised_on,
    c.due_on,
    $raised_by
FROM (SELECT * FROM alert_candidates ORDER BY ordinal) AS c
WHERE NOT EXISTS (
    SELECT 1
    FROM alerts AS a
    WHERE a.kind = c.kind
        AND a.subject_type = c.subject_type
        AND a.subject = c.subject
        AND a.period = c.period
)
RETURNING alert_id
