-- Every step of every migration that moves baseline out of or into $deal_id.
SELECT m.migration_id, m.year, m.from_deal, m.to_deal, m.amount, m.reason,
       st.step, st.user_name, st.step_at, st.note
FROM migrations AS m
JOIN migration_steps AS st USING (migration_id)
WHERE m.from_deal = $deal_id OR m.to_deal = $deal_id
ORDER BY st.step_at, m.migration_id
