-- Latest wins: every incoming quote is kept in quote_versions; the current
-- table takes the incoming row.
INSERT INTO quote_versions
SELECT quote_id, deal_id, stage, quoted_on, amount, $load_id
FROM incoming;

INSERT OR REPLACE INTO quotes
SELECT quote_id, deal_id, stage, quoted_on, amount, $load_id
FROM incoming;
