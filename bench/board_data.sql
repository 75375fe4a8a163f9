-- A SPEC §9-sized warehouse for bench/board.py, generated in DuckDB alone.
-- Pseudo-random figures come from hash(), not random(), so the data is the
-- same on every run and every thread count. Parameters: none; the as-of date of
-- the benchmark is 2026-11-27 and history runs 2017-01 … 2026-11.
--
-- Shape: 10 years × 10,000 deals, 20 tracks, 200 account managers, 8 profit
-- centres; every deal revises its rolling forecast monthly (6–17 revisions of
-- 18 months each, ≈ 21 M rows), 30 % add one precision version; shipments for
-- won deals (a fifth by project number only), SAP orders, targets, and one
-- snapshot per month with the deals active then.

CREATE TEMP TABLE gen_deals AS
SELECT
    i,
    printf('D%06d', i) AS deal_id,
    2017 + i // 10000 AS y,
    make_date(2017 + i // 10000, 1, 1) + CAST(hash(i, 'created') % 330 AS INTEGER) AS created_on,
    CAST(hash(i, 'track') % 20 AS INTEGER) AS track_no,
    CAST(hash(i, 'manager') % 10 AS INTEGER) AS manager_no,
    (hash(i, 'line') % 100) < 80 AS integrated,
    CAST(hash(i, 'stage') % 100 AS INTEGER) AS stage_roll,
    CAST(hash(i, 'phase') % 100 AS INTEGER) AS phase_roll,
    6 + CAST(hash(i, 'revisions') % 12 AS INTEGER) AS revisions,
    CAST(hash(i, 'day') % 27 AS INTEGER) AS submit_day,
    100000 + CAST(hash(i, 'size') % 900000 AS INTEGER) AS size,
    (hash(i, 'precision') % 100) < 30 AS has_precision,
    2 + CAST(hash(i, 'precision_at') % 4 AS INTEGER) AS precision_rev,
    CAST(hash(i, 'precision_kind') % 3 AS INTEGER) AS precision_kind
FROM range(100000) AS r(i);

CREATE TEMP TABLE gen_deal_attrs AS
SELECT
    g.*,
    date_trunc('month', created_on)::DATE AS created_month,
    CASE
        WHEN y < 2026 AND stage_roll < 40 THEN 'Lost'
        WHEN y < 2026 THEN 'Secured'
        WHEN stage_roll < 30 THEN 'L Potential'
        WHEN stage_roll < 55 THEN 'M Potential'
        WHEN stage_roll < 70 THEN 'H Potential'
        WHEN stage_roll < 85 THEN 'Secured'
        ELSE 'Lost'
    END AS stage,
    CASE
        WHEN y < 2025 AND phase_roll < 80 THEN 'mass_production'
        WHEN y < 2026 AND phase_roll < 60 THEN 'mold_development'
        WHEN y = 2026 AND stage_roll >= 70 AND stage_roll < 85 AND phase_roll < 50
            THEN 'mold_development'
        ELSE 'opportunity'
    END AS phase
FROM gen_deals AS g;

INSERT INTO deals
SELECT
    deal_id,
    'Deal ' || i,
    CASE WHEN integrated THEN 'integrated' ELSE 'commodity' END,
    printf('T%02d', track_no),
    printf('AM%03d', track_no * 10 + manager_no),
    printf('PC%d', track_no % 8),
    printf('Customer %d', hash(i, 'customer') % 500),
    phase,
    stage,
    created_on,
    CASE WHEN stage = 'Secured' THEN created_on + 30 + CAST(hash(i, 'won') % 150 AS INTEGER) END,
    CASE WHEN phase <> 'opportunity' THEN 'P' || deal_id END,
    NULL,
    1
FROM gen_deal_attrs;

-- Rolling revisions: revision k is submitted in month created_month + k on the
-- deal's submit day and covers the 18 months from created_month. The order is
-- booked in month 1, mold sales in months 3–5, product sales in months 6–17.
INSERT INTO forecasts
SELECT
    deal_id,
    'rolling',
    created_month + to_months(k) + to_days(submit_day) + INTERVAL 10 HOUR,
    created_month + to_months(j),
    CASE WHEN j = 1 THEN size * 3 * (80 + hash(i, k, 'o') % 41) / 100 ELSE 0 END,
    CASE WHEN j BETWEEN 3 AND 5 THEN 1 ELSE 0 END,
    CASE WHEN j BETWEEN 3 AND 5 THEN size * (80 + hash(i, k, j, 'm') % 41) / 100 ELSE 0 END,
    CASE WHEN j >= 6 THEN size * (80 + hash(i, k, j, 'p') % 41) / 100 ELSE 0 END,
    1
FROM gen_deal_attrs, range(revisions) AS rk(k), range(18) AS rj(j)
ORDER BY 3;

-- One precision version for 30 % of deals: a third equal to the rolling one of
-- the same month, a third lower, a third higher.
INSERT INTO forecasts
SELECT
    f.deal_id,
    'precision',
    f.submitted_at + INTERVAL 2 HOUR,
    f.month,
    f.order_amount,
    f.mold_sets,
    f.mold_sales * (1 + (precision_kind - 1) * 0.1),
    f.product_sales * (1 + (precision_kind - 1) * 0.1),
    2
FROM forecasts AS f
JOIN gen_deal_attrs AS g
    ON g.deal_id = f.deal_id
    AND f.submitted_at = g.created_month + to_months(g.precision_rev)
        + to_days(g.submit_day) + INTERVAL 10 HOUR
WHERE g.has_precision AND g.precision_rev < g.revisions;

-- Actual shipments of won deals up to 2026-11, a fifth matched by project only.
INSERT INTO shipments
SELECT
    created_month + to_months(j),
    CASE WHEN hash(i, 'by_project') % 5 = 0 THEN '' ELSE deal_id END,
    'P' || deal_id,
    CASE WHEN j <= 5 THEN 'mold' ELSE 'product' END,
    size * (70 + hash(i, j, 's') % 61) / 100,
    'ERP',
    'actual',
    3
FROM gen_deal_attrs, range(3, 18) AS rj(j)
WHERE stage = 'Secured' AND phase <> 'opportunity'
    AND created_month + to_months(j) <= DATE '2026-11-01';

-- SAP orders: one per won deal, and commodity order intake per manager-month.
INSERT INTO orders
SELECT
    'SO' || deal_id,
    created_on + 30 + CAST(hash(i, 'won') % 150 AS INTEGER),
    CASE WHEN integrated THEN 'integrated' ELSE 'commodity' END,
    printf('T%02d', track_no),
    printf('AM%03d', track_no * 10 + manager_no),
    printf('PC%d', track_no % 8),
    NULL,
    deal_id,
    size * 3 * (70 + hash(i, 'ov') % 61) / 100,
    'CNY',
    4
FROM gen_deal_attrs
WHERE stage = 'Secured'
    AND created_on + 30 + CAST(hash(i, 'won') % 150 AS INTEGER) <= DATE '2026-11-27';

INSERT INTO orders
SELECT
    printf('SC%03d%03d%d', m, n, o),
    DATE '2017-01-01' + to_months(n) + to_days(CAST(hash(m, n, o) % 27 AS INTEGER)),
    'commodity',
    printf('T%02d', m // 10),
    printf('AM%03d', m),
    printf('PC%d', (m // 10) % 8),
    NULL,
    NULL,
    200000 + hash(m, n, o, 'cv') % 300000,
    'CNY',
    4
FROM range(200) AS rm(m), range(119) AS rn(n), range(5) AS ro(o);

-- Targets: integrated sales per track-month, commodity orders per manager-month
-- and per profit-centre-month.
INSERT INTO targets
SELECT y, 'integrated', 'sales', mo, printf('T%02d', t), '', '',
    80000000 + hash(y, mo, t) % 40000000, 5
FROM range(2017, 2027) AS ry(y), range(1, 13) AS rmo(mo), range(20) AS rt(t);

INSERT INTO targets
SELECT y, 'commodity', 'orders', mo, '', printf('AM%03d', m), '',
    1300000 + hash(y, mo, m) % 400000, 5
FROM range(2017, 2027) AS ry(y), range(1, 13) AS rmo(mo), range(200) AS rm(m);

INSERT INTO targets
SELECT y, 'commodity', 'orders', mo, '', '', printf('PC%d', p),
    30000000 + hash(y, mo, p) % 10000000, 5
FROM range(2017, 2027) AS ry(y), range(1, 13) AS rmo(mo), range(8) AS rp(p);

-- Monthly snapshots 2017-01 … 2026-11, taken on the first of the month: the
-- deals created in the 24 months before, and their current rolling (and
-- precision) submission as of that day, for the months of the label's year.
CREATE TEMP TABLE gen_labels AS
SELECT DATE '2017-01-01' + to_months(n) AS month
FROM range(119) AS rn(n);

INSERT INTO snapshots
SELECT strftime(month, '%Y-%m'), month, month, month, 'bench', 0, 0,
    sha256(strftime(month, '%Y-%m')), NULL, sha256(strftime(month, '%Y-%m'))
FROM gen_labels;

CREATE TEMP TABLE gen_snapshot_deals AS
SELECT
    l.month AS label_month,
    g.*,
    -- latest revision k with created_month + k months + submit_day days before
    -- the label's first day + 1 day
    least(
        date_diff('month', g.created_month, l.month) - CASE WHEN g.submit_day > 0 THEN 1 ELSE 0 END,
        g.revisions - 1
    ) AS current_rev
FROM gen_labels AS l
JOIN gen_deal_attrs AS g
    ON g.created_on < l.month AND g.created_on >= l.month - INTERVAL 24 MONTH;

INSERT INTO snapshot_deals
SELECT
    strftime(s.label_month, '%Y-%m'), d.deal_id, d.deal_name, d.business_line, d.track,
    d.account_manager, d.profit_center, d.customer,
    CASE WHEN s.label_month >= s.created_month + INTERVAL 6 MONTH THEN d.phase ELSE 'opportunity' END,
    CASE WHEN s.label_month >= s.created_month + INTERVAL 6 MONTH THEN d.stage ELSE 'M Potential' END,
    effective_phase(
        CASE WHEN s.label_month >= s.created_month + INTERVAL 6 MONTH THEN d.phase ELSE 'opportunity' END,
        CASE WHEN s.label_month >= s.created_month + INTERVAL 6 MONTH THEN d.stage ELSE 'M Potential' END
    ),
    d.created_on, d.secured_on, d.project_id, d.planned_mp_on
FROM gen_snapshot_deals AS s
JOIN deals AS d USING (deal_id)
WHERE s.current_rev >= 0
ORDER BY 1;

INSERT INTO snapshot_forecasts
SELECT strftime(s.label_month, '%Y-%m'), f.deal_id, f.version, f.submitted_at, f.month,
    f.order_amount, f.mold_sets, f.mold_sales, f.product_sales
FROM gen_snapshot_deals AS s
JOIN forecasts AS f
    ON f.deal_id = s.deal_id
    AND f.version = 'rolling'
    AND f.submitted_at = s.created_month + to_months(s.current_rev)
        + to_days(s.submit_day) + INTERVAL 10 HOUR
WHERE s.current_rev >= 0
    AND f.month >= date_trunc('year', s.label_month)
    AND f.month < date_trunc('year', s.label_month) + INTERVAL 1 YEAR
ORDER BY 1;

INSERT INTO snapshot_forecasts
SELECT strftime(s.label_month, '%Y-%m'), f.deal_id, f.version, f.submitted_at, f.month,
    f.order_amount, f.mold_sets, f.mold_sales, f.product_sales
FROM gen_snapshot_deals AS s
JOIN forecasts AS f
    ON f.deal_id = s.deal_id
    AND f.version = 'precision'
    AND f.submitted_at = s.created_month + to_months(s.precision_rev)
        + to_days(s.submit_day) + INTERVAL 12 HOUR
WHERE s.current_rev >= 0 AND s.has_precision AND s.precision_rev <= s.current_rev
    AND f.month >= date_trunc('year', s.label_month)
    AND f.month < date_trunc('year', s.label_month) + INTERVAL 1 YEAR
ORDER BY 1;
