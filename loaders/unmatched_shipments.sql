-- Shipments that reach no deal, neither by deal_id nor through a deal's
-- project_id: commodity WIP work, kept and counted.
SELECT count(*)
FROM incoming AS i
WHERE NOT EXISTS (SELECT 1 FROM deals AS d WHERE d.deal_id = i.deal_id)
  AND NOT EXISTS (
      SELECT 1 FROM deals AS d
      WHERE i.project_id <> '' AND d.project_id = i.project_id
  )
