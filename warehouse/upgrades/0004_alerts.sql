-- Version 4: the alerts of SPEC §5 and the shipment matching the rules share.


-- Actual shipments of months from_month … to_month (first days of months),
-- each row given to at most one deal: by its deal_id when that names a deal,
-- else through the project number of the deal that carries it. A row whose
-- deal_id is blank or unknown and whose project no deal carries (commodity WIP
-- work) is left out.
-- Limitation: a project number carried by several deals is credited to the
-- smallest deal_id only — bites if the CRM reuses a project number.
CREATE MACRO deal_shipments(from_month, to_month) AS TABLE
    WITH by_project AS (
        SELECT project_id, min(deal_id) AS deal_id
        FROM deals
        WHERE coalesce(project_id, '') <> ''
        GROUP BY project_id
    )
    SELECT coalesce(d.deal_id, p.deal_id) AS deal_id, s.month, s.kind, s.amount
    FROM shipments AS s
    LEFT JOIN deals AS d ON d.deal_id = s.deal_id
    LEFT JOIN by_project AS p ON p.project_id = s.project_id AND s.project_id <> ''
    WHERE s.plan_or_actual = 'actual'
        AND s.month >= CAST(from_month AS DATE)
        AND s.month <= CAST(to_month AS DATE)
        AND coalesce(d.deal_id, p.deal_id) IS NOT NULL;

CREATE SEQUENCE alert_id_seq START 1;

-- One row per alert ever raised; identity (kind, subject_type, subject, period)
-- so that each is raised once. subject_type is deal | track | total |
-- account_manager | profit_center, subject the deal id or name ('total' for
-- the total). raised_on is the as-of date of the check that raised it, so that
-- a check is reproducible; due_on is null for alerts routed to the PDCA.
CREATE TABLE alerts (
    alert_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL CHECK (kind IN ('version_diff', 'no_h_potential_by_25th',
        'low_coverage', 'sales_shortfall', 'order_shortfall', 'low_accuracy')),
    business_line business_line NOT NULL,
    subject_type VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    track VARCHAR,
    account_manager VARCHAR,
    profit_center VARCHAR,
    deal_id VARCHAR,
    route VARCHAR NOT NULL CHECK (route IN ('track_director', 'business_analysis_pdca')),
    direction VARCHAR CHECK (direction IN ('shortfall', 'upside', 'reshaped')),
    figures JSON NOT NULL,
    raised_on DATE NOT NULL,
    due_on DATE,
    raised_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (kind, subject_type, subject, period)
);

CREATE SEQUENCE alert_event_id_seq START 1;

-- Status changes of an alert: 'open' when raised, then 'handled' (with the
-- conclusion) or 'escalated' to the CEO (with a note). The status of an alert
-- is its latest event.
CREATE TABLE alert_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('alert_event_id_seq'),
    alert_id BIGINT NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'handled', 'escalated')),
    note VARCHAR NOT NULL DEFAULT '',
    user_name VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TRIGGER alerts_no_update AFTER UPDATE ON alerts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('alerts are append-only: a status change is a new alert_events row');
CREATE TRIGGER alerts_no_delete AFTER DELETE ON alerts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('alerts are append-only: an alert is never deleted');
CREATE TRIGGER alert_events_no_update AFTER UPDATE ON alert_events FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('alert_events is append-only: history is never rewritten');
CREATE TRIGGER alert_events_no_delete AFTER DELETE ON alert_events FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('alert_events is append-only: history is never deleted');
