-- The sealing queue no longer wakes the sealer with a NOTIFY. pg_notify takes PostgreSQL's global
-- notification-queue lock at every commit of a notifying transaction, which serialised committing
-- writers (about 8 % of the append rate at 8 writers, more with more writers); the sealer polls its
-- queue instead (SealerOptions.PollInterval, 50 ms), which bounds the added sealing lag.

CREATE OR REPLACE FUNCTION ledger_queue_for_sealing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_unsealed (seq_id)
    SELECT n.seq_id FROM appended n WHERE NOT ledger_is_tombstone(n.stream_id, n.type);
    RETURN NULL;
END;
$$;
