-- Every label that has a snapshot record or frozen rows, with its record's
-- fields (null when the record is missing), in label order.
WITH labels AS (
    SELECT label FROM snapshots
    UNION
    SELECT DISTINCT label FROM snapshot_deals
    UNION
    SELECT DISTINCT label FROM snapshot_forecasts
)
SELECT l.label, s.month, s.as_of, s.taken_at, s.taken_by, s.deal_count,
       s.forecast_rows, s.content_sha256, s.previous_chain_sha256, s.chain_sha256
FROM labels AS l
LEFT JOIN snapshots AS s USING (label)
ORDER BY l.label
