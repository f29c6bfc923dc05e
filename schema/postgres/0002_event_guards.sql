-- Guards on Marten's event table (mt_events, created by Marten before this runs).
--   * insert-only: UPDATE, DELETE and TRUNCATE are refused by trigger, for every role;
--   * chained: an event's headers carry its hash and its predecessor's (prev); an insert whose
--     prev is not the hash of its stream's previous event is refused, so no writer, however
--     confused, can fork a stream;
--   * queued for sealing: each inserted event's sequence number enters ledger_unsealed, which
--     the sealer drains in the same transaction that gives the event its log position.
-- Marten's tombstones (rows that fill sequence numbers burned by failed appends) are not events:
-- they are neither chained nor sealed.

CREATE TRIGGER ledger_events_insert_only
    BEFORE UPDATE OR DELETE ON mt_events
    FOR EACH ROW EXECUTE FUNCTION ledger_reject_mutation();

CREATE TRIGGER ledger_events_no_truncate
    BEFORE TRUNCATE ON mt_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_mutation();

CREATE FUNCTION ledger_is_tombstone(stream_id varchar, type varchar) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT stream_id = 'mt_tombstone' OR type = 'tombstone' $$;

CREATE FUNCTION ledger_check_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    expected text;
BEGIN
    IF ledger_is_tombstone(NEW.stream_id, NEW.type) THEN
        RETURN NEW;
    END IF;
    IF NEW.headers IS NULL OR NEW.headers->>'hash' IS NULL OR NEW.headers->>'hash' !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'event % of stream % (version %) carries no event hash', NEW.id, NEW.stream_id, NEW.version
            USING ERRCODE = 'P0002', HINT = 'Events are appended through the ledger''s write path, which hashes them.';
    END IF;
    IF NEW.version = 1 THEN
        IF NEW.headers ? 'prev' THEN
            RAISE EXCEPTION 'event % is the first of stream % but names a previous hash', NEW.id, NEW.stream_id
                USING ERRCODE = 'P0002';
        END IF;
        RETURN NEW;
    END IF;
    SELECT e.headers->>'hash' INTO expected
    FROM mt_events e
    WHERE e.stream_id = NEW.stream_id AND e.version = NEW.version - 1;
    IF expected IS NULL OR NEW.headers->>'prev' IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'event % (stream %, version %) does not extend its stream: prev % is not the hash % of version %',
            NEW.id, NEW.stream_id, NEW.version, coalesce(NEW.headers->>'prev', 'missing'), coalesce(expected, 'of no event'), NEW.version - 1
            USING ERRCODE = 'P0002', HINT = 'Reload the stream and append again.';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_events_chain
    BEFORE INSERT ON mt_events
    FOR EACH ROW EXECUTE FUNCTION ledger_check_chain();

-- Events waiting for a log position. A row becomes visible to the sealer exactly when its
-- event's transaction commits, and leaves only in the sealer's transaction that seals it, so an
-- event that commits late is sealed late, never skipped, and one that never commits never shows.
CREATE TABLE ledger_unsealed (
    seq_id bigint PRIMARY KEY
);

CREATE FUNCTION ledger_queue_for_sealing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_unsealed (seq_id)
    SELECT n.seq_id FROM appended n WHERE NOT ledger_is_tombstone(n.stream_id, n.type);
    -- One wake-up per transaction: identical notifications are folded into one at commit.
    PERFORM pg_notify('incident_ledger_appended', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_events_queue
    AFTER INSERT ON mt_events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_queue_for_sealing();

-- Each event as docs/verification.md's envelope sees it, read straight from Marten's columns and
-- headers: the export, proofs and stream checks all read events through this one view.
CREATE VIEW ledger_event_envelopes AS
SELECT e.seq_id,
       e.id                                   AS event_id,
       e.stream_id,
       e.headers->>'streamType'               AS stream_type,
       e.version,
       e.type                                 AS event_type,
       (e.headers->>'schemaVersion')::integer AS schema_version,
       e.data,
       jsonb_strip_nulls(jsonb_build_object(
           'actor', e.headers->'actor',
           'organisation', e.headers->'organisation',
           'role', e.headers->'role',
           'correlationId', e.headers->'correlationId',
           'causationId', e.headers->'causationId')) AS metadata,
       e.timestamp                            AS recorded_at,
       e.headers->>'prev'                     AS prev,
       e.headers->>'hash'                     AS hash
FROM mt_events e
WHERE NOT ledger_is_tombstone(e.stream_id, e.type);
