-- A fingerprint of everything the dashboard caches: it changes with every load,
-- snapshot, audited action (baselines, migrations, alert handling, reviews,
-- users) and every alert raised or handled.
SELECT
    (SELECT coalesce(max(load_id), 0) FROM load_log) AS last_load,
    (SELECT count(*) FROM snapshots) AS snapshots,
    (SELECT coalesce(max(audit_id), 0) FROM audit_log) AS last_audit,
    (SELECT coalesce(max(alert_id), 0) FROM alerts) AS last_alert,
    (SELECT coalesce(max(event_id), 0) FROM alert_events) AS last_alert_event
