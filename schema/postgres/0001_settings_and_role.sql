-- Ledger settings (published verifier keys and the like) and the role the application works as.
-- Applied by the schema's owner after Marten has created its tables, with search_path set to the
-- ledger's schema. Roles are cluster-wide, so creation tolerates another schema having made it.

CREATE TABLE ledger_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incident_ledger_app') THEN
        CREATE ROLE incident_ledger_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END;
$$;

-- The migrating user may act as the application role (a superuser always can).
DO $$
BEGIN
    EXECUTE format('GRANT incident_ledger_app TO %I', current_user);
EXCEPTION
    WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;
END;
$$;

-- Shared by every insert-only table: the application role holds no UPDATE/DELETE grant, and this
-- trigger refuses them for everyone else too (only a superuser who disables triggers gets past it).
CREATE FUNCTION ledger_reject_mutation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is insert-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Events are immutable. Record a correcting event instead.';
END;
$$;
