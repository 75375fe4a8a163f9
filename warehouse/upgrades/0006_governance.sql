-- Version 6: annual baselines and the migration workflow of SPEC §6.
-- Every table here is append-only: a change is a new version or a new step.

-- One row per annual baseline taken (year-start commitment), once per year.
CREATE TABLE baselines (
    year INTEGER PRIMARY KEY,
    as_of DATE NOT NULL,
    taken_at TIMESTAMP NOT NULL,
    taken_by VARCHAR NOT NULL,
    deal_count BIGINT NOT NULL
);

-- One row per deal and version of its baseline for the year. Version 1 is the
-- year-start commitment; a migration adds version n+1 for both deals it touches.
-- The deal's attributes are frozen as they stood when the version was written.
CREATE TABLE baseline_versions (
    year INTEGER NOT NULL,
    deal_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    business_line business_line NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    effective_phase VARCHAR NOT NULL,    -- opportunity | mold_development | mass_production
    locked BOOLEAN NOT NULL,             -- mold_development or mass_production at baseline
    expected_order_month DATE,           -- first month of the year with a positive order
    expected_order_amount DECIMAL(18, 2) NOT NULL,
    written_at TIMESTAMP NOT NULL,       -- business time: baseline as_of, or execution
    written_by VARCHAR NOT NULL,
    migration_id BIGINT,                 -- the migration that wrote it (null for v1)
    PRIMARY KEY (year, deal_id, version)
);

-- Monthly sales of one baseline version: the months of the year that carry sales.
CREATE TABLE baseline_months (
    year INTEGER NOT NULL,
    deal_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    month DATE NOT NULL,
    mold_sales DECIMAL(18, 2) NOT NULL,
    product_sales DECIMAL(18, 2) NOT NULL,
    PRIMARY KEY (year, deal_id, version, month)
);

CREATE SEQUENCE migration_id_seq START 1;

-- A migration request as the account manager asked for it; never changed.
CREATE TABLE migrations (
    migration_id BIGINT PRIMARY KEY,
    year INTEGER NOT NULL,
    from_deal VARCHAR NOT NULL,
    to_deal VARCHAR NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,      -- baseline sales moved from from_deal
    reason VARCHAR NOT NULL,
    requested_by VARCHAR NOT NULL,
    requested_at TIMESTAMP NOT NULL
);

-- Each step of a migration: requested, then approved or rejected, then executed.
-- The status of a migration is its last step.
CREATE TABLE migration_steps (
    migration_id BIGINT NOT NULL,
    step VARCHAR NOT NULL CHECK (step IN ('requested', 'approved', 'rejected', 'executed')),
    user_name VARCHAR NOT NULL,
    step_at TIMESTAMP NOT NULL,          -- business time of the step
    note VARCHAR NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL,      -- clock time when it was written
    PRIMARY KEY (migration_id, step)
);

CREATE TRIGGER baselines_no_update AFTER UPDATE ON baselines FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baselines are append-only: a baseline is never replaced');
CREATE TRIGGER baselines_no_delete AFTER DELETE ON baselines FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baselines are append-only: a baseline is never deleted');
CREATE TRIGGER baseline_versions_no_update AFTER UPDATE ON baseline_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baseline versions are append-only: write a new version instead');
CREATE TRIGGER baseline_versions_no_delete AFTER DELETE ON baseline_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baseline versions are append-only: they are never deleted');
CREATE TRIGGER baseline_months_no_update AFTER UPDATE ON baseline_months FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baseline versions are append-only: write a new version instead');
CREATE TRIGGER baseline_months_no_delete AFTER DELETE ON baseline_months FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('baseline versions are append-only: they are never deleted');
CREATE TRIGGER migrations_no_update AFTER UPDATE ON migrations FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('migration requests are append-only: they are never rewritten');
CREATE TRIGGER migrations_no_delete AFTER DELETE ON migrations FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('migration requests are append-only: they are never deleted');
CREATE TRIGGER migration_steps_no_update AFTER UPDATE ON migration_steps FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('migration steps are append-only: they are never rewritten');
CREATE TRIGGER migration_steps_no_delete AFTER DELETE ON migration_steps FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('migration steps are append-only: they are never deleted');
