-- Freeze every deal's attributes (latest loaded) into snapshot $label, with the
-- effective phase of SPEC §4 as it stands now.
INSERT INTO snapshot_deals
SELECT $label, deal_id, deal_name, business_line, track, account_manager,
       profit_center, customer, phase, stage, effective_phase(phase, stage),
       created_on, secured_on, project_id, planned_mp_on
FROM deals
