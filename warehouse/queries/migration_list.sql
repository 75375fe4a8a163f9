-- Every migration request the actor may see (its old deal's track in $tracks,
-- or its old deal's manager = $account_manager, or $sees_all), with its
-- decision (approved or rejected) and its execution, if any; one request
-- when $migration_id is given.
SELECT m.migration_id, m.year, m.from_deal, m.to_deal, m.amount, m.reason,
       m.requested_by, m.requested_at,
       decision.step AS decision, decision.user_name AS decided_by,
       decision.step_at AS decided_at, decision.note AS decision_note,
       execution.user_name AS executed_by, execution.step_at AS executed_at
FROM migrations AS m
LEFT JOIN migration_steps AS decision
    ON decision.migration_id = m.migration_id
   AND decision.step IN ('approved', 'rejected')
LEFT JOIN migration_steps AS execution
    ON execution.migration_id = m.migration_id AND execution.step = 'executed'
LEFT JOIN deals AS d ON d.deal_id = m.from_deal
WHERE (CAST($migration_id AS BIGINT) IS NULL OR m.migration_id = $migration_id)
  AND (CAST($sees_all AS BOOLEAN)
       OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
       OR d.account_manager = $account_manager)
ORDER BY m.migration_id
