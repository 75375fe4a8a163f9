-- The SHA-256 of one snapshot's canonical content: a header line made from the
-- snapshot's own fields (bound, so that taking and verifying hash the same
-- text), then one JSON-array line per deal and per forecast row, sorted as text
-- and joined by newlines. Every value is cast to text with a fixed format
-- (dates %Y-%m-%d, timestamps to the microsecond, decimals with 2 places) and
-- JSON-escaped, so that no value can shift into its neighbour.
WITH lines AS (
    SELECT CAST(json_array(
               'deal', deal_id, deal_name, CAST(business_line AS VARCHAR), track,
               account_manager, profit_center, customer, CAST(phase AS VARCHAR),
               CAST(stage AS VARCHAR), effective_phase,
               strftime(created_on, '%Y-%m-%d'), strftime(secured_on, '%Y-%m-%d'),
               project_id, strftime(planned_mp_on, '%Y-%m-%d')
           ) AS VARCHAR) AS line
    FROM snapshot_deals
    WHERE label = $label
    UNION ALL
    SELECT CAST(json_array(
               'forecast', deal_id, CAST(version AS VARCHAR),
               strftime(submitted_at, '%Y-%m-%d %H:%M:%S.%f'),
               strftime(month, '%Y-%m-%d'), CAST(order_amount AS VARCHAR),
               CAST(mold_sets AS VARCHAR), CAST(mold_sales AS VARCHAR),
               CAST(product_sales AS VARCHAR)
           ) AS VARCHAR)
    FROM snapshot_forecasts
    WHERE label = $label
)
SELECT sha256(
           CAST(json_array(
               'snapshot', $label, strftime(CAST($month AS DATE), '%Y-%m-%d'),
               strftime(CAST($as_of AS DATE), '%Y-%m-%d'),
               strftime(CAST($taken_at AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f'),
               CAST($taken_by AS VARCHAR), CAST($deal_count AS VARCHAR),
               CAST($forecast_rows AS VARCHAR)
           ) AS VARCHAR)
           || chr(10)
           || coalesce(string_agg(line, chr(10) ORDER BY line), '')
       )
FROM lines
