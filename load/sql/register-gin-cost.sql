-- What the register row's GIN indexes cost a write: 20,000 rows shaped like the register's (its fields, two jurisdictions,
-- one system and provider, two parties, a few hundred characters of search text) inserted one by one, three times with
-- each index set, beside the row's other indexes (six B-trees and the full-text index). Prints, for each run, the time,
-- the WAL written and the GIN indexes' size.
--
--   psql -h 127.0.0.1 -p <port> -U postgres -qAt -f load/sql/register-gin-cost.sql
--
-- Works in a schema of its own (register_gin_cost), dropped at the end.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS register_gin_cost CASCADE;
CREATE SCHEMA register_gin_cost;
SET search_path TO register_gin_cost;

CREATE TABLE r (id uuid PRIMARY KEY, data jsonb NOT NULL, mt_version uuid, mt_dotnet_type varchar, mt_last_modified timestamptz DEFAULT now());
CREATE INDEX r_status ON r ((data ->> 'status'));
CREATE INDEX r_sector ON r ((data ->> 'sector'));
CREATE INDEX r_level ON r ((data ->> 'level'));
CREATE INDEX r_occurred ON r ((data ->> 'occurredAt'));
CREATE INDEX r_reported ON r ((data ->> 'reportedAt'));
CREATE INDEX r_due ON r ((data ->> 'nextDueAt'));
CREATE INDEX r_fts ON r USING gin (to_tsvector('english'::regconfig, data ->> 'searchText'));

CREATE FUNCTION row_of(i int) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object(
    'incidentId', gen_random_uuid(), 'title', 'Triage model under-prioritised patients, case ' || i, 'status', 'reported',
    'level', (ARRAY['hazard', 'incident', 'serious_incident'])[1 + i % 3], 'euCriteria', jsonb_build_array('health_or_safety'),
    'harmTypes', jsonb_build_array('physical', 'economic'), 'sector', (ARRAY['health', 'finance', 'transport', 'education'])[1 + i % 4],
    'jurisdictions', jsonb_build_array('EU', 'DE'), 'systemIds', jsonb_build_array(gen_random_uuid()),
    'systemNames', jsonb_build_array('TriageNet ' || i % 50), 'providerIds', jsonb_build_array(gen_random_uuid()),
    'providerNames', jsonb_build_array('Provider ' || i % 20), 'partyIds', jsonb_build_array(gen_random_uuid(), gen_random_uuid()),
    'reporterRole', 'deployer', 'occurredAt', now() - make_interval(hours => i), 'becameAwareAt', now() - make_interval(hours => i),
    'reportedAt', now() - make_interval(mins => i), 'closedAt', NULL, 'peopleAffected', i % 100, 'deaths', 0, 'injuries', i % 3,
    'runningClocks', 2, 'breachedClocks', 0, 'nextDueAt', now() + make_interval(days => 15), 'disputed', false, 'version', 1,
    'searchText', lower('Triage model under-prioritised patients, case ' || i || ': the emergency department''s triage model '
      || 'consistently assigned lower urgency to patients presenting with atypical symptoms, delaying treatment. TriageNet '
      || i % 50 || ' Provider ' || i % 20 || ' EU DE'))
$$;

CREATE FUNCTION run(gins text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE started timestamptz; wal_start pg_lsn; ms float8; wal numeric; size bigint;
BEGIN
  DROP INDEX IF EXISTS r_whole, r_systems, r_providers, r_parties;
  TRUNCATE r;
  IF gins = 'whole row' THEN
    CREATE INDEX r_whole ON r USING gin (data jsonb_path_ops);
  ELSE
    CREATE INDEX r_systems ON r USING gin ((data -> 'systemIds') jsonb_path_ops);
    CREATE INDEX r_providers ON r USING gin ((data -> 'providerIds') jsonb_path_ops);
    CREATE INDEX r_parties ON r USING gin ((data -> 'partyIds') jsonb_path_ops);
  END IF;
  started := clock_timestamp();
  wal_start := pg_current_wal_insert_lsn();
  FOR i IN 1..20000 LOOP
    INSERT INTO r (id, data) VALUES (gen_random_uuid(), row_of(i));
  END LOOP;
  ms := extract(epoch FROM clock_timestamp() - started) * 1000;
  wal := pg_current_wal_insert_lsn() - wal_start;
  SELECT sum(pg_relation_size(indexrelid)) INTO size FROM pg_index
    WHERE indrelid = 'r'::regclass AND indexrelid::regclass::text IN ('r_whole', 'r_systems', 'r_providers', 'r_parties');
  RETURN format('GIN over the %s: %s µs a row, %s bytes of WAL a row, GIN indexes %s kB', gins,
    round((ms * 1000 / 20000)::numeric, 1), round(wal / 20000), size / 1024);
END $$;

SELECT run('whole row');
SELECT run('identifier lists');
SELECT run('whole row');
SELECT run('identifier lists');
SELECT run('whole row');
SELECT run('identifier lists');

RESET search_path;
DROP SCHEMA register_gin_cost CASCADE;
