-- Async projections: each one's checkpoint (the last ledger position it applied), state, the
-- error that stopped it, and every position an operator told it to skip, with the reason.

CREATE TABLE ledger_projections (
    name              text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,40}$'),
    position          bigint      NOT NULL DEFAULT -1,
    state             text        NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'stopped', 'rebuilding')),
    error             text,
    error_position    bigint,
    rebuild_requested boolean     NOT NULL DEFAULT false,
    rebuild_position  bigint,
    rebuild_suffix    text,
    applied_at        timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_projection_skips (
    name       text        NOT NULL REFERENCES ledger_projections (name),
    position   bigint      NOT NULL,
    reason     text        NOT NULL CHECK (length(reason) > 0),
    skipped_by text        NOT NULL,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, position)
);

-- The outbox: messages written in the same transaction as the events they announce, delivered
-- after commit. The id is the delivery id receivers de-duplicate on; it never changes across retries.
CREATE TABLE ledger_outbox (
    id           uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    destination  text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    available_at timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    locked_until timestamptz,
    last_error   text
);

CREATE INDEX ledger_outbox_available ON ledger_outbox (available_at);

CREATE TABLE ledger_outbox_dead (
    id          uuid        PRIMARY KEY,
    topic       text        NOT NULL,
    destination text        NOT NULL,
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    attempts    integer     NOT NULL,
    last_error  text,
    dead_at     timestamptz NOT NULL
);

-- Webhook subscribers (an insurer's endpoint, say): where to deliver, which topics, and the
-- secret that signs each delivery (HMAC-SHA256 over timestamp and body).
CREATE TABLE ledger_webhooks (
    id         uuid        PRIMARY KEY,
    url        text        NOT NULL CHECK (url ~ '^https?://'),
    secret     text        NOT NULL CHECK (length(secret) >= 16),
    topics     text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON ledger_projections TO incident_ledger_app;
GRANT SELECT, INSERT ON ledger_projection_skips TO incident_ledger_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_outbox TO incident_ledger_app;
GRANT SELECT, INSERT ON ledger_outbox_dead TO incident_ledger_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_webhooks TO incident_ledger_app;

-- Projections create their own read-model tables: the application role may create in this schema.
DO $$
BEGIN
    EXECUTE format('GRANT CREATE ON SCHEMA %I TO incident_ledger_app', current_schema());
END;
$$;
