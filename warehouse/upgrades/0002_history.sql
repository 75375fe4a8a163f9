-- Version 2: monthly snapshots, users. Baselines and migrations follow in the
-- governance work. Snapshots are append-only and chained by SHA-256.

-- One row per monthly snapshot, labelled 'YYYY-MM'. content_sha256 covers the
-- canonical content of snapshot_deals and snapshot_forecasts for the label;
-- chain_sha256 = sha256(previous chain_sha256 || content_sha256).
CREATE TABLE snapshots (
    label VARCHAR PRIMARY KEY,
    month DATE NOT NULL,
    as_of DATE NOT NULL,
    taken_at TIMESTAMP NOT NULL,
    taken_by VARCHAR NOT NULL,
    deal_count BIGINT NOT NULL,
    forecast_rows BIGINT NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    previous_chain_sha256 VARCHAR,
    chain_sha256 VARCHAR NOT NULL
);

-- Every deal's attributes as they stood when the snapshot was taken, with the
-- effective phase of SPEC §4 computed then.
CREATE TABLE snapshot_deals (
    label VARCHAR NOT NULL,
    deal_id VARCHAR NOT NULL,
    deal_name VARCHAR,
    business_line business_line NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR,
    customer VARCHAR,
    phase deal_phase NOT NULL,
    stage deal_stage NOT NULL,
    effective_phase VARCHAR NOT NULL,  -- opportunity | mold_development | mass_production | lost
    created_on DATE NOT NULL,
    secured_on DATE,
    project_id VARCHAR,
    planned_mp_on DATE
);

-- Each deal's current rolling and current precision submission (all months of
-- that submission) as of the snapshot's as_of date.
CREATE TABLE snapshot_forecasts (
    label VARCHAR NOT NULL,
    deal_id VARCHAR NOT NULL,
    version forecast_version NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    month DATE NOT NULL,
    order_amount DECIMAL(18, 2) NOT NULL,
    mold_sets INTEGER NOT NULL,
    mold_sales DECIMAL(18, 2) NOT NULL,
    product_sales DECIMAL(18, 2) NOT NULL
);

CREATE TRIGGER snapshots_no_update AFTER UPDATE ON snapshots FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be replaced');
CREATE TRIGGER snapshots_no_delete AFTER DELETE ON snapshots FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be deleted');
CREATE TRIGGER snapshot_deals_no_update AFTER UPDATE ON snapshot_deals FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be replaced');
CREATE TRIGGER snapshot_deals_no_delete AFTER DELETE ON snapshot_deals FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be deleted');
CREATE TRIGGER snapshot_forecasts_no_update AFTER UPDATE ON snapshot_forecasts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be replaced');
CREATE TRIGGER snapshot_forecasts_no_delete AFTER DELETE ON snapshot_forecasts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('snapshots can never be deleted');

-- Users of SPEC §1. tracks is the list of tracks a director owns; account_manager
-- is the name the CRM uses for this user when the role is account_manager.
CREATE TABLE users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL CHECK (role IN ('account_manager', 'track_director', 'ceo', 'analyst', 'admin')),
    tracks VARCHAR[] NOT NULL DEFAULT [],
    account_manager VARCHAR,
    email VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
