-- Latest wins: every incoming deal is kept in deal_versions, and the current
-- table takes the incoming row in place of any earlier one.
INSERT INTO deal_versions
SELECT deal_id, deal_name, business_line, track, account_manager, profit_center,
       customer, phase, stage, created_on, secured_on, project_id, planned_mp_on,
       $load_id
FROM incoming;

INSERT OR REPLACE INTO deals
SELECT deal_id, deal_name, business_line, track, account_manager, profit_center,
       customer, phase, stage, created_on, secured_on, project_id, planned_mp_on,
       $load_id
FROM incoming;
