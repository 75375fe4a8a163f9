-- Version 3: the shared definitions of SPEC §4 as SQL macros, so that rules,
-- snapshots and pages all read one definition.

-- Effective phase of a deal: lost if Lost; mass_production if phase 量产;
-- mold_development if phase 模具开发 or stage Secured (won, project not yet
-- created); otherwise opportunity.
CREATE MACRO effective_phase(phase, stage) AS
    CASE
        WHEN stage = 'Lost' THEN 'lost'
        WHEN phase = 'mass_production' THEN 'mass_production'
        WHEN phase = 'mold_development' OR stage = 'Secured' THEN 'mold_development'
        ELSE 'opportunity'
    END;

-- Each deal's latest rolling and latest precision submission dated on or before
-- as_of (every month of each). A submission at 15:00 on day D counts for D.
CREATE MACRO latest_submissions(as_of) AS TABLE
    WITH latest AS (
        SELECT deal_id, version, max(submitted_at) AS submitted_at
        FROM forecasts
        WHERE submitted_at < CAST(as_of AS DATE) + INTERVAL 1 DAY
        GROUP BY deal_id, version
    )
    SELECT f.deal_id, f.version, f.submitted_at, f.month, f.order_amount,
           f.mold_sets, f.mold_sales, f.product_sales
    FROM forecasts AS f
    JOIN latest USING (deal_id, version, submitted_at);

-- The current forecast of each deal at as_of: its latest precision submission if
-- one exists, else its latest rolling one. Chosen from the per-version heads so
-- that the forecasts table is read once, not twice (bench/board.py).
CREATE MACRO current_forecast(as_of) AS TABLE
    WITH heads AS (
        SELECT deal_id, version, max(submitted_at) AS submitted_at
        FROM forecasts
        WHERE submitted_at < CAST(as_of AS DATE) + INTERVAL 1 DAY
        GROUP BY deal_id, version
    ),
    chosen AS (
        -- precision sorts above rolling: the precision head when there is one
        SELECT deal_id,
               arg_max(version, version = 'precision') AS version,
               arg_max(submitted_at, version = 'precision') AS submitted_at
        FROM heads
        GROUP BY deal_id
    )
    SELECT f.deal_id, f.version, f.submitted_at, f.month, f.order_amount,
           f.mold_sets, f.mold_sales, f.product_sales
    FROM forecasts AS f
    JOIN chosen AS c
        ON c.deal_id = f.deal_id AND c.version = f.version AND c.submitted_at = f.submitted_at;
