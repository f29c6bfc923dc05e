-- The event store: streams, insert-only events chained by hash, and idempotent command keys.
-- Applied with search_path set to the ledger's schema.

CREATE TABLE ledger_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE ledger_streams (
    stream_id   uuid        PRIMARY KEY,
    stream_type text        NOT NULL CHECK (stream_type ~ '^[a-z][a-z0-9-]{0,62}$'),
    version     bigint      NOT NULL CHECK (version >= 0),
    last_hash   bytea       CHECK (last_hash IS NULL OR length(last_hash) = 32),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE ledger_events (
    -- Local sequence: increases in insertion order within a transaction; with tx it orders
    -- events for sealing (the global, gap-free order lives in the sealed log, not here).
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    event_id       uuid        NOT NULL,
    -- No foreign key to ledger_streams: the one statement that appends writes the stream's head and
    -- its events together, and an RI check per event would cost a lookup on the hottest path.
    stream_id      uuid        NOT NULL,
    stream_type    text        NOT NULL,
    version        bigint      NOT NULL CHECK (version >= 1),
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL CHECK (schema_version >= 1),
    data           jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL,
    prev_hash      bytea       CHECK (prev_hash IS NULL OR length(prev_hash) = 32),
    hash           bytea       NOT NULL CHECK (length(hash) = 32),
    tx             xid8        NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (stream_id, version),
    CONSTRAINT ledger_events_event_id_unique UNIQUE (event_id),
    CONSTRAINT ledger_events_chain CHECK ((version = 1) = (prev_hash IS NULL))
);

CREATE INDEX ledger_events_tx_seq ON ledger_events (tx, seq);

-- A command key names one append: resending it returns the original result and writes nothing.
CREATE TABLE ledger_commands (
    command_key   text        PRIMARY KEY CHECK (length(command_key) BETWEEN 1 AND 200),
    stream_id     uuid        NOT NULL REFERENCES ledger_streams (stream_id),
    first_version bigint      NOT NULL,
    last_version  bigint      NOT NULL,
    recorded_at   timestamptz NOT NULL
);

-- Insert-only: the application role holds no UPDATE/DELETE grant, and this trigger refuses
-- them for everyone else too (only a superuser who disables triggers can get past it).
CREATE FUNCTION ledger_reject_mutation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is insert-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Events are immutable. Record a correcting event instead.';
END;
$$;

CREATE TRIGGER ledger_events_insert_only
    BEFORE UPDATE OR DELETE ON ledger_events
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();

CREATE TRIGGER ledger_events_no_truncate
    BEFORE TRUNCATE ON ledger_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();
