-- Every deal the viewer may see, with the attributes pickers and lists show.
SELECT d.deal_id, d.deal_name, CAST(d.business_line AS VARCHAR) AS business_line,
       d.track, d.account_manager, d.profit_center, d.customer,
       CAST(d.stage AS VARCHAR) AS stage,
       effective_phase(d.phase, d.stage) AS effective_phase
FROM deals AS d
WHERE $sees_all OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
    OR d.account_manager = $manager
ORDER BY d.deal_id
