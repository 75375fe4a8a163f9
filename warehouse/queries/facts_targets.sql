-- Target rows of year $year for one business line and metric, in the actor's
-- scope ('' in track / account_manager / profit_center means "not split by it").
-- An account manager is measured against the rows naming them.
-- Limitation: with no manager-level sales target an account manager's target
-- is 0, so their gap is never positive — bites when targets stop at tracks.
SELECT track, account_manager, profit_center, month, amount
FROM targets
WHERE year = $year
    AND business_line = $business_line
    AND metric = $metric
    AND ($sees_all OR list_contains($tracks, track) OR account_manager = $account_manager)
ORDER BY track, account_manager, profit_center, month
