-- How the schema's tables store large values. Not a numbered migration: run by the owner at every start (after Marten
-- and Wolverine have created or updated their tables), so new tables get it too.
--   * jsonb values PostgreSQL compresses (an incident's snapshot is several kilobytes) use lz4, which compresses
--     several times faster than the default pglz for a slightly larger value. Only values written from then on are
--     affected; a server built without lz4 keeps pglz, and a table the owner cannot alter (one of another role's) is
--     left as it is.

DO $$
DECLARE
    c record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        RETURN;
    END IF;
    FOR c IN
        SELECT a.attrelid::regclass AS tbl, a.attname AS col
        FROM pg_attribute a
        JOIN pg_class r ON r.oid = a.attrelid
        WHERE r.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND r.relkind = 'r'
          AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'jsonb'::regtype AND a.attcompression IS DISTINCT FROM 'l'
          AND pg_has_role(r.relowner, 'USAGE')
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET COMPRESSION lz4', c.tbl, c.col);
    END LOOP;
END;
$$;
