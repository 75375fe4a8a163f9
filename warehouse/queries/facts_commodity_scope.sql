-- The commodity account managers and profit centres an actor sees.
-- Everyone who sees all deals sees them all; a track director sees the
-- managers and profit centres that carry a deal or an order in their tracks
-- (each with all of its figures, since commodity targets are set per manager
-- and per profit centre, not per track); an account manager sees only
-- themselves. Parameters: $sees_all, $tracks, $account_manager.
WITH in_tracks AS (
    SELECT account_manager, profit_center FROM deals WHERE list_contains($tracks, track)
    UNION ALL
    SELECT account_manager, profit_center FROM orders WHERE list_contains($tracks, track)
)
SELECT 'account_manager' AS dimension, account_manager AS name FROM in_tracks
UNION
SELECT 'profit_center', profit_center FROM in_tracks WHERE coalesce(profit_center, '') <> ''
UNION
SELECT 'account_manager', CAST($account_manager AS VARCHAR) WHERE $account_manager IS NOT NULL
