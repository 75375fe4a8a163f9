-- Latest wins: a re-sent month replaces the earlier figure for the same
-- (month, deal, project, kind, source, plan or actual); every version is kept
-- in shipment_versions. Blank deal, project and source arrive as ''.
INSERT INTO shipment_versions
SELECT month, deal_id, project_id, kind, amount, source, plan_or_actual, $load_id
FROM incoming;

INSERT OR REPLACE INTO shipments
SELECT month, deal_id, project_id, kind, amount, source, plan_or_actual, $load_id
FROM incoming;
