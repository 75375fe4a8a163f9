-- Commodity business → APS scheduling input (SPEC §8): only quotes at
-- H Potential or later (H Potential, Secured) dated on or before $as_of; earlier
-- quotes never go, nor quotes of deals since lost. Scoped like deals.
SELECT d.track,
       d.profit_center,
       d.account_manager,
       d.customer,
       d.deal_id,
       d.deal_name,
       effective_phase(d.phase, d.stage) AS phase,
       CAST(d.stage AS VARCHAR) AS stage,
       q.quote_id,
       CAST(q.stage AS VARCHAR) AS quote_stage,
       q.quoted_on,
       q.amount AS quote_amount
FROM quotes AS q
JOIN deals AS d USING (deal_id)
WHERE d.business_line = 'commodity'
  AND d.stage <> 'Lost'
  AND q.stage IN ('H Potential', 'Secured')
  AND q.quoted_on <= $as_of
  AND ($sees_all OR list_contains($tracks, d.track) OR d.account_manager = $account_manager)
ORDER BY d.track, d.profit_center, d.account_manager, d.deal_id, q.quoted_on, q.quote_id;
