-- One row per integrated deal (not Lost) in the actor's scope that has
-- anything in year Y as of D: a current-forecast month in Y, an actual
-- shipment in a closed month of Y, or a Secured date in Y up to D.
-- Parameters: $as_of, $year_start, $year_end (first day of Y + 1), $m0 (first
-- day of the current month), $sees_all, $tracks, $account_manager.
WITH forecast AS (
    SELECT
        deal_id,
        sum(mold_sales) FILTER (WHERE month >= $m0) AS forecast_mold_open,
        sum(product_sales) FILTER (WHERE month >= $m0) AS forecast_product_open,
        sum(mold_sets) AS mold_sets,
        sum(order_amount) FILTER (WHERE month = $m0) AS order_amount_m0
    FROM current_forecast($as_of)
    WHERE month >= $year_start AND month < $year_end
    GROUP BY deal_id
),
actual AS (
    -- closed months only: M0 itself still counts by its forecast
    SELECT
        deal_id,
        sum(amount) FILTER (WHERE kind = 'mold') AS actual_mold_closed,
        sum(amount) FILTER (WHERE kind = 'product') AS actual_product_closed
    FROM deal_shipments($year_start, $m0 - INTERVAL 1 DAY)
    GROUP BY deal_id
),
h_potential AS (
    SELECT DISTINCT deal_id
    FROM quotes
    WHERE stage IN ('H Potential', 'Secured') AND quoted_on <= $as_of
)
SELECT
    d.deal_id,
    d.deal_name,
    d.track,
    d.account_manager,
    d.profit_center,
    d.customer,
    CAST(d.stage AS VARCHAR) AS stage,
    effective_phase(d.phase, d.stage) AS effective_phase,
    d.secured_on,
    CAST(coalesce(a.actual_mold_closed, 0) AS DECIMAL(18, 2)) AS actual_mold_closed,
    CAST(coalesce(a.actual_product_closed, 0) AS DECIMAL(18, 2)) AS actual_product_closed,
    CAST(coalesce(f.forecast_mold_open, 0) AS DECIMAL(18, 2)) AS forecast_mold_open,
    CAST(coalesce(f.forecast_product_open, 0) AS DECIMAL(18, 2)) AS forecast_product_open,
    CAST(coalesce(f.mold_sets, 0) AS BIGINT) AS mold_sets,
    CAST(coalesce(f.order_amount_m0, 0) AS DECIMAL(18, 2)) AS order_amount_m0,
    h.deal_id IS NOT NULL AS has_h_potential_quote
FROM deals AS d
LEFT JOIN forecast AS f ON f.deal_id = d.deal_id
LEFT JOIN actual AS a ON a.deal_id = d.deal_id
LEFT JOIN h_potential AS h ON h.deal_id = d.deal_id
WHERE d.business_line = 'integrated'
    AND d.stage <> 'Lost'
    AND ($sees_all OR list_contains($tracks, d.track) OR d.account_manager = $account_manager)
    AND (
        f.deal_id IS NOT NULL
        OR a.deal_id IS NOT NULL
        OR (d.secured_on >= $year_start AND d.secured_on <= $as_of)
    )
ORDER BY d.deal_id
