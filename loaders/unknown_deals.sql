-- Deals named by the incoming rows that the warehouse's deals table lacks.
SELECT DISTINCT i.deal_id
FROM incoming AS i
WHERE i.deal_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM deals AS d WHERE d.deal_id = i.deal_id)
