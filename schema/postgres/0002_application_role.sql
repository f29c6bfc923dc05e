-- The role the application works as: it may read and append events but never change them.
-- Roles are cluster-wide, so creation tolerates another schema (or node) having made it first.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incident_ledger_app') THEN
        CREATE ROLE incident_ledger_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END;
$$;

DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO incident_ledger_app', current_schema());
END;
$$;

GRANT SELECT, INSERT ON ledger_events TO incident_ledger_app;
GRANT SELECT, INSERT, UPDATE ON ledger_streams TO incident_ledger_app;
GRANT SELECT, INSERT ON ledger_commands TO incident_ledger_app;
GRANT SELECT ON ledger_settings TO incident_ledger_app;

-- The migrating user may act as the application role (a superuser always can).
DO $$
BEGIN
    EXECUTE format('GRANT incident_ledger_app TO %I', current_user);
EXCEPTION
    WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;
END;
$$;
