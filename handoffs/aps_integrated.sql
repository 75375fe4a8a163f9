-- Integrated business → profit-center managers and PMC (SPEC §8): each deal's
-- latest rolling and latest precision submission dated on or before $as_of,
-- every month of each, for every phase but lost. Scoped like deals: $sees_all,
-- or the deal's track among $tracks, or its account manager.
SELECT d.track,
       d.profit_center,
       d.account_manager,
       d.customer,
       d.deal_id,
       d.deal_name,
       effective_phase(d.phase, d.stage) AS phase,
       CAST(d.stage AS VARCHAR) AS stage,
       CAST(s.version AS VARCHAR) AS version,
       s.submitted_at,
       s.month,
       s.order_amount,
       s.mold_sets,
       s.mold_sales,
       s.product_sales
FROM latest_submissions($as_of) AS s
JOIN deals AS d USING (deal_id)
WHERE d.business_line = 'integrated'
  AND effective_phase(d.phase, d.stage) <> 'lost'
  AND ($sees_all OR list_contains($tracks, d.track) OR d.account_manager = $account_manager)
ORDER BY d.track, d.profit_center, d.account_manager, d.deal_id, s.version, s.month;
