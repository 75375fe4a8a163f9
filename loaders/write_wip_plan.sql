-- Latest wins: every incoming WIP plan row is kept in wip_plan_versions; the
-- current table takes the incoming row.
INSERT INTO wip_plan_versions
SELECT month, project_id, track, profit_center, planned_sales, $load_id
FROM incoming;

INSERT OR REPLACE INTO wip_plan
SELECT month, project_id, track, profit_center, planned_sales, $load_id
FROM incoming;
