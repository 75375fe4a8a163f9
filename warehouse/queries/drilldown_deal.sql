-- One deal's latest attributes with its effective phase, if the viewer may see it.
SELECT d.deal_id, d.deal_name, d.business_line, d.track, d.account_manager,
       d.profit_center, d.customer, d.phase, d.stage,
       effective_phase(d.phase, d.stage) AS effective_phase,
       d.created_on, d.secured_on, d.project_id, d.planned_mp_on
FROM deals AS d
WHERE d.deal_id = $deal_id
    AND ($sees_all OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
         OR d.account_manager = $manager)
