-- Version 1: the extracts of SPEC §3, their history, the load log and the audit log.
-- Money is DECIMAL(18,2) throughout; months are DATEs on the first of the month.

CREATE TYPE business_line AS ENUM ('integrated', 'commodity');
CREATE TYPE deal_phase AS ENUM ('opportunity', 'mold_development', 'mass_production');
CREATE TYPE deal_stage AS ENUM ('L Potential', 'M Potential', 'H Potential', 'Secured', 'Lost');
CREATE TYPE forecast_version AS ENUM ('rolling', 'precision');
CREATE TYPE target_metric AS ENUM ('sales', 'orders');
CREATE TYPE shipment_kind AS ENUM ('mold', 'product');
CREATE TYPE plan_or_actual AS ENUM ('plan', 'actual');

-- Key/value facts about this warehouse file, e.g. ('sample', 'true') for the demo.
CREATE TABLE warehouse_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE SEQUENCE load_id_seq START 1;

-- One row per load attempt, accepted, rejected or unchanged. Append-only.
CREATE TABLE load_log (
    load_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,            -- loaded | rejected | unchanged
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    problem_count BIGINT NOT NULL,
    detail JSON,                         -- kind-specific counts, first problems
    user_name VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL
);

-- Columns an extract carried that the product does not use, kept aside.
CREATE TABLE load_extras (
    load_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    extras JSON NOT NULL
);

CREATE SEQUENCE audit_id_seq START 1;

-- Who did what and when: loads, snapshots, baselines, migrations, alerts, users.
CREATE TABLE audit_log (
    audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_name VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    subject VARCHAR,
    detail JSON
);

-- CRM deals: latest loaded wins here; every loaded version stays in deal_versions.
CREATE TABLE deals (
    deal_id VARCHAR PRIMARY KEY,
    deal_name VARCHAR,
    business_line business_line NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR,
    customer VARCHAR,
    phase deal_phase NOT NULL,
    stage deal_stage NOT NULL,
    created_on DATE NOT NULL,
    secured_on DATE,
    project_id VARCHAR,
    planned_mp_on DATE,
    load_id BIGINT NOT NULL
);

CREATE TABLE deal_versions (
    deal_id VARCHAR NOT NULL,
    deal_name VARCHAR,
    business_line business_line NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR,
    customer VARCHAR,
    phase deal_phase NOT NULL,
    stage deal_stage NOT NULL,
    created_on DATE NOT NULL,
    secured_on DATE,
    project_id VARCHAR,
    planned_mp_on DATE,
    load_id BIGINT NOT NULL
);

-- CRM forecast submissions. Never replaced: a new submitted_at is a new revision.
-- Key (deal_id, version, submitted_at, month) is enforced by the loader rather
-- than an index, which would cost more than the whole load at ten years of rows.
CREATE TABLE forecasts (
    deal_id VARCHAR NOT NULL,
    version forecast_version NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    month DATE NOT NULL,
    order_amount DECIMAL(18, 2) NOT NULL,
    mold_sets INTEGER NOT NULL,
    mold_sales DECIMAL(18, 2) NOT NULL,
    product_sales DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL
);

CREATE TABLE quotes (
    quote_id VARCHAR PRIMARY KEY,
    deal_id VARCHAR NOT NULL,
    stage deal_stage NOT NULL,
    quoted_on DATE NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL
);

CREATE TABLE quote_versions (
    quote_id VARCHAR NOT NULL,
    deal_id VARCHAR NOT NULL,
    stage deal_stage NOT NULL,
    quoted_on DATE NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL
);

-- Targets: a blank track / manager / profit center is stored as '' so that the
-- key (year, business_line, metric, month, track, account_manager, profit_center)
-- stays comparable; read '' as "not split by this dimension".
CREATE TABLE targets (
    year INTEGER NOT NULL,
    business_line business_line NOT NULL,
    metric target_metric NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (year, business_line, metric, month, track, account_manager, profit_center)
);

CREATE TABLE target_versions (
    year INTEGER NOT NULL,
    business_line business_line NOT NULL,
    metric target_metric NOT NULL,
    month INTEGER NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL
);

-- APS / ERP / PM shipments, by deal or by project ('' when not given).
-- Key (month, deal_id, project_id, kind, source, plan_or_actual): a re-sent month
-- replaces the earlier figure; every version stays in shipment_versions.
CREATE TABLE shipments (
    month DATE NOT NULL,
    deal_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    kind shipment_kind NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    source VARCHAR NOT NULL,
    plan_or_actual plan_or_actual NOT NULL,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (month, deal_id, project_id, kind, source, plan_or_actual)
);

CREATE TABLE shipment_versions (
    month DATE NOT NULL,
    deal_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    kind shipment_kind NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    source VARCHAR NOT NULL,
    plan_or_actual plan_or_actual NOT NULL,
    load_id BIGINT NOT NULL
);

-- SAP sales orders: the source of order intake for both business lines.
CREATE TABLE orders (
    order_no VARCHAR PRIMARY KEY,
    order_date DATE NOT NULL,
    business_line business_line NOT NULL,
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    profit_center VARCHAR,
    customer VARCHAR,
    deal_id VARCHAR,
    net_value DECIMAL(18, 2) NOT NULL,
    currency VARCHAR NOT NULL DEFAULT 'CNY',
    load_id BIGINT NOT NULL
);

CREATE TABLE wip_plan (
    month DATE NOT NULL,
    project_id VARCHAR NOT NULL,
    track VARCHAR NOT NULL,
    profit_center VARCHAR,
    planned_sales DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (month, project_id)
);

CREATE TABLE wip_plan_versions (
    month DATE NOT NULL,
    project_id VARCHAR NOT NULL,
    track VARCHAR NOT NULL,
    profit_center VARCHAR,
    planned_sales DECIMAL(18, 2) NOT NULL,
    load_id BIGINT NOT NULL
);

-- Append-only tables: UPDATE, DELETE and TRUNCATE fail. A trigger's body must be
-- a DML statement, so the refusal is raised by error() inside an INSERT … SELECT.
CREATE TABLE append_only_guard (refused VARCHAR);

CREATE TRIGGER load_log_no_update AFTER UPDATE ON load_log FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('load_log is append-only: loads are never rewritten');
CREATE TRIGGER load_log_no_delete AFTER DELETE ON load_log FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('load_log is append-only: loads are never deleted');
CREATE TRIGGER load_extras_no_update AFTER UPDATE ON load_extras FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('load_extras is append-only');
CREATE TRIGGER load_extras_no_delete AFTER DELETE ON load_extras FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('load_extras is append-only');
CREATE TRIGGER audit_log_no_update AFTER UPDATE ON audit_log FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('audit_log is append-only: history is never rewritten');
CREATE TRIGGER audit_log_no_delete AFTER DELETE ON audit_log FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('audit_log is append-only: history is never deleted');
CREATE TRIGGER forecasts_no_update AFTER UPDATE ON forecasts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('forecasts are append-only: send a new submitted_at instead');
CREATE TRIGGER forecasts_no_delete AFTER DELETE ON forecasts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('forecasts are append-only: revisions are never deleted');
CREATE TRIGGER deal_versions_no_update AFTER UPDATE ON deal_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('deal_versions is append-only');
CREATE TRIGGER deal_versions_no_delete AFTER DELETE ON deal_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('deal_versions is append-only');
CREATE TRIGGER quote_versions_no_update AFTER UPDATE ON quote_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('quote_versions is append-only');
CREATE TRIGGER quote_versions_no_delete AFTER DELETE ON quote_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('quote_versions is append-only');
CREATE TRIGGER target_versions_no_update AFTER UPDATE ON target_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('target_versions is append-only');
CREATE TRIGGER target_versions_no_delete AFTER DELETE ON target_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('target_versions is append-only');
CREATE TRIGGER shipment_versions_no_update AFTER UPDATE ON shipment_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('shipment_versions is append-only');
CREATE TRIGGER shipment_versions_no_delete AFTER DELETE ON shipment_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('shipment_versions is append-only');
CREATE TRIGGER wip_plan_versions_no_update AFTER UPDATE ON wip_plan_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('wip_plan_versions is append-only');
CREATE TRIGGER wip_plan_versions_no_delete AFTER DELETE ON wip_plan_versions FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('wip_plan_versions is append-only');
