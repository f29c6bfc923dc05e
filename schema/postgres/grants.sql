-- What the application role may do. Not a numbered migration: run by the owner at every start (after Marten and
-- Wolverine have created or updated their tables), so new tables get their grants too.
--   * Marten's documents, Wolverine's envelopes and progress rows: read and write, and truncate (a projection
--     rebuild empties its own state tables);
--   * mt_events, the sealed log and the witnesses' cosignatures: read and insert, never update or delete;
--   * the sealer's queue and state: what sealing needs.

DO $$
BEGIN
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO incident_ledger_app', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA %I TO incident_ledger_app', current_schema());
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO incident_ledger_app', current_schema());
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO incident_ledger_app', current_schema());
END;
$$;

REVOKE UPDATE, DELETE, TRUNCATE ON mt_events, ledger_entries, ledger_tree, ledger_checkpoints, ledger_cosignatures FROM incident_ledger_app;
REVOKE TRUNCATE ON mt_streams, ledger_unsealed, ledger_seal_state FROM incident_ledger_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_settings FROM incident_ledger_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_migrations FROM incident_ledger_app;
