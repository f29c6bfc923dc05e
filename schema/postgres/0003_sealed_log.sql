-- The sealed log: one gap-free global order of events (ledger positions), the RFC 9162 Merkle
-- tree over their hashes, and the signed checkpoints of that tree. Written only by the sealer.

CREATE TABLE ledger_entries (
    position   bigint      PRIMARY KEY CHECK (position >= 0),
    seq_id     bigint      NOT NULL,
    event_id   uuid        NOT NULL,
    stream_id  text        NOT NULL,
    version    bigint      NOT NULL,
    event_hash bytea       NOT NULL CHECK (length(event_hash) = 32),
    sealed_at  timestamptz NOT NULL,
    CONSTRAINT ledger_entries_event_unique UNIQUE (event_id),
    CONSTRAINT ledger_entries_seq_unique UNIQUE (seq_id)
);

-- Every complete, aligned subtree: the 2^level leaves from index * 2^level. Level 0 holds the
-- leaf hashes. Roots and proofs at any size need O(log n) of these.
CREATE TABLE ledger_tree (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    index bigint   NOT NULL CHECK (index >= 0),
    hash  bytea    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, index)
);

-- C2SP tlog-checkpoint bodies in signed notes.
CREATE TABLE ledger_checkpoints (
    size      bigint      PRIMARY KEY CHECK (size >= 0),
    root      bytea       NOT NULL CHECK (length(root) = 32),
    note      text        NOT NULL,
    issued_at timestamptz NOT NULL
);

-- The sealer's single row: how many events are sealed. Sealers serialise on it.
CREATE TABLE ledger_seal_state (
    singleton     boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    size          bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);

INSERT INTO ledger_seal_state (size, updated_at) VALUES (0, now());

CREATE TRIGGER ledger_entries_insert_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_tree_insert_only BEFORE UPDATE OR DELETE ON ledger_tree
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_tree_no_truncate BEFORE TRUNCATE ON ledger_tree
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_checkpoints_insert_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();


