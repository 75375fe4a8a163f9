-- Latest wins: every incoming target is kept in target_versions; the current
-- table takes the incoming amount. Blank key parts arrive as ''.
INSERT INTO target_versions
SELECT year, business_line, metric, month, track, account_manager, profit_center,
       amount, $load_id
FROM incoming;

INSERT OR REPLACE INTO targets
SELECT year, business_line, metric, month, track, account_manager, profit_center,
       amount, $load_id
FROM incoming;
