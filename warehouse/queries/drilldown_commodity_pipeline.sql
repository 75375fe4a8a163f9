-- Commodity opportunities in the viewer's scope by stage: how many, and the
-- order amount their current forecasts book over the open months of the year.
SELECT d.stage, count(DISTINCT d.deal_id) AS deals,
       coalesce(sum(f.order_amount), 0) AS order_amount
FROM deals AS d
LEFT JOIN current_forecast($as_of) AS f
    ON f.deal_id = d.deal_id
    AND f.month >= date_trunc('month', CAST($as_of AS DATE))
    AND year(f.month) = year(CAST($as_of AS DATE))
WHERE d.business_line = 'commodity'
    AND effective_phase(d.phase, d.stage) = 'opportunity'
    AND d.created_on <= $as_of
    AND ($sees_all OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
         OR d.account_manager = $manager)
GROUP BY d.stage
ORDER BY d.stage
