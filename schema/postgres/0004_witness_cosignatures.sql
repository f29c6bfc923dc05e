-- Witness cosignatures (C2SP tlog-cosignature/v1, Ed25519) of the log's checkpoints. Witnesses push them
-- (POST /log/cosignatures); the ledger stores one only after checking that it verifies under a configured
-- witness key over the text of a checkpoint it signed, and serves the newest per witness key appended to that
-- checkpoint's note. Insert-only, like the log they vouch for: a collected cosignature is never changed or removed.

CREATE TABLE ledger_cosignatures (
    checkpoint_size bigint      NOT NULL REFERENCES ledger_checkpoints (size),
    -- The root the cosigned text names: served only while the checkpoint of that size has this root.
    checkpoint_root bytea       NOT NULL CHECK (length(checkpoint_root) = 32),
    witness_name    text        NOT NULL CHECK (witness_name <> ''),
    witness_key_id  bigint      NOT NULL CHECK (witness_key_id BETWEEN 0 AND 4294967295),
    -- The witness's timestamp (POSIX seconds), which is also the signature's first 8 bytes.
    cosigned_at     bigint      NOT NULL CHECK (cosigned_at >= 0),
    -- timestamp ‖ Ed25519 signature, as the signature line carries it after the key ID.
    signature       bytea       NOT NULL CHECK (length(signature) = 72 AND substr(signature, 1, 8) = int8send(cosigned_at)),
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (checkpoint_size, checkpoint_root, witness_name, witness_key_id, cosigned_at)
);

CREATE TRIGGER ledger_cosignatures_insert_only BEFORE UPDATE OR DELETE ON ledger_cosignatures
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();
CREATE TRIGGER ledger_cosignatures_no_truncate BEFORE TRUNCATE ON ledger_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();
