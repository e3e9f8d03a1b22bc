-- What the PostgreSQL schema keeps between concurrent transactions, checked
-- with two dblink sessions, a and b, driven one step at a time from this
-- session (so no step depends on timing). check_schema.sh passes:
--   :fresh   conninfo of an empty database, for the migration race
--   :clinic  conninfo of the migrated, seeded database
--   :lock_migrations, :has_version_table, :create_version_table,
--   :claim_version_row, :locked_version   Migrate's statements (schema_version.h)
--   :claim_prepare, :claim_execute   ClaimableNotifications' PREPARE and EXECUTE
-- Each check raises an error on failure; run with ON_ERROR_STOP.

CREATE EXTENSION IF NOT EXISTS dblink;

-- psql does not expand variables inside function bodies, so the statements
-- travel as settings of this session.
\o /dev/null
SELECT set_config('check.lock_migrations', :'lock_migrations', false),
       set_config('check.has_version_table', :'has_version_table', false),
       set_config('check.create_version_table', :'create_version_table', false),
       set_config('check.claim_version_row', :'claim_version_row', false),
       set_config('check.locked_version', :'locked_version', false),
       set_config('check.claim_execute', :'claim_execute', false);
\o
CREATE FUNCTION pg_temp.sql(name text) RETURNS text LANGUAGE sql AS $$
  SELECT current_setting('check.' || name)
$$;

-- Waits (up to 30 s) until a backend waits for an advisory lock.
CREATE FUNCTION pg_temp.await_advisory_waiter() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..600 LOOP
    IF EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted) THEN
      RETURN;
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RAISE EXCEPTION 'no session ever waited for an advisory lock';
END $$;

-- Runs `statement` on `session`; returns '' or the error's message.
CREATE FUNCTION pg_temp.try(session text, statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF dblink_exec(session, statement, false) = 'ERROR' THEN
    RETURN dblink_error_message(session);
  END IF;
  RETURN '';
END $$;

-- One migration race on :fresh. a migrates (as Migrate does: lock, create
-- schema_version when missing, claim its row, record a version) and holds
-- its transaction open; b starts its own, so b's snapshot is older than a's
-- commit, and waits for the migration lock. a commits. b, now holding the
-- lock, must fail with a serialization failure at the claim rather than
-- migrate again; its retry (a new transaction) then sees a's version.
CREATE FUNCTION pg_temp.migration_race(create_table boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  failure text;
  seen int;
BEGIN
  PERFORM dblink_exec('a', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  PERFORM * FROM dblink('a', pg_temp.sql('lock_migrations')) AS r(locked text);
  IF create_table THEN
    PERFORM dblink_exec('a', pg_temp.sql('create_version_table'));
  END IF;
  PERFORM dblink_exec('a', pg_temp.sql('claim_version_row'));
  PERFORM * FROM dblink('a', pg_temp.sql('locked_version')) AS r(version int);
  PERFORM dblink_exec('a', 'UPDATE schema_version SET version = version + 1');

  PERFORM dblink_exec('b', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  PERFORM dblink_send_query('b', pg_temp.sql('lock_migrations'));
  PERFORM pg_temp.await_advisory_waiter();
  PERFORM dblink_exec('a', 'COMMIT');
  PERFORM * FROM dblink_get_result('b') AS r(locked text);
  PERFORM * FROM dblink_get_result('b') AS r(locked text);

  IF (SELECT present FROM dblink('b', pg_temp.sql('has_version_table')) AS r(present int)) <> 1 THEN
    RAISE EXCEPTION 'b does not see the table a created';
  END IF;
  failure := pg_temp.try('b', pg_temp.sql('claim_version_row'));
  IF failure NOT LIKE '%could not serialize access%' THEN
    RAISE EXCEPTION 'b went on migrating with a stale snapshot (claim said "%")', failure;
  END IF;
  PERFORM dblink_exec('b', 'ROLLBACK');

  PERFORM dblink_exec('b', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  PERFORM * FROM dblink('b', pg_temp.sql('lock_migrations')) AS r(locked text);
  PERFORM dblink_exec('b', pg_temp.sql('claim_version_row'));
  seen := (SELECT version FROM dblink('b', pg_temp.sql('locked_version')) AS r(version int));
  PERFORM dblink_exec('b', 'ROLLBACK');
  RAISE NOTICE 'b failed with "%", and its retry sees version %', failure, seen;
END $$;

\echo === two migrators: the one that waited for the lock is sent back to retry
SELECT dblink_connect('a', :'fresh'), dblink_connect('b', :'fresh');
SELECT pg_temp.migration_race(true);
SELECT pg_temp.migration_race(false);
SELECT dblink_disconnect('a'), dblink_disconnect('b');

\echo === event numbers follow commit order: the second writer waits for the first
SELECT dblink_connect('a', :'clinic'), dblink_connect('b', :'clinic');
DO $$
DECLARE
  first bigint;
  second bigint;
  after_rollback bigint;
BEGIN
  PERFORM dblink_exec('a', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  first := (SELECT seq FROM dblink('a', 'SELECT clinicd_next_event_seq()') AS r(seq bigint));
  PERFORM dblink_exec('b', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  PERFORM dblink_send_query('b', 'SELECT clinicd_next_event_seq()');
  PERFORM pg_temp.await_advisory_waiter();
  IF dblink_is_busy('b') <> 1 THEN RAISE EXCEPTION 'b took a number while a held one'; END IF;
  PERFORM dblink_exec('a', 'COMMIT');
  second := (SELECT seq FROM dblink_get_result('b') AS r(seq bigint));
  PERFORM * FROM dblink_get_result('b') AS r(seq bigint);
  IF second <> first + 1 THEN RAISE EXCEPTION 'a took %, then b %', first, second; END IF;
  -- b rolls back: its number is skipped, never handed out again.
  PERFORM dblink_exec('b', 'ROLLBACK');
  after_rollback := (SELECT seq FROM dblink('a', 'SELECT clinicd_next_event_seq()') AS r(seq bigint));
  IF after_rollback <> second + 1 THEN
    RAISE EXCEPTION 'after % was rolled back came %', second, after_rollback;
  END IF;
  RAISE NOTICE 'a took %; b waited for a''s commit, then took %; after b''s rollback came %',
    first, second, after_rollback;
END $$;

\echo === two claims at once lease different messages, and neither waits
SELECT dblink_exec('a', :'claim_prepare'), dblink_exec('b', :'claim_prepare');
DO $$
DECLARE
  by_a text[];
  by_b text[];
BEGIN
  PERFORM dblink_exec('a', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  by_a := ARRAY(SELECT id FROM dblink('a', pg_temp.sql('claim_execute')) AS r(
    id text, clinic_id text, patient_id text, channel bigint, attempts bigint, kind bigint,
    resource text, recipient text, subject text, body text, dedupe_key text, due_time bigint));
  PERFORM dblink_exec('b', 'BEGIN ISOLATION LEVEL SERIALIZABLE');
  PERFORM dblink_exec('b', 'SET LOCAL lock_timeout = ''5s''');
  by_b := ARRAY(SELECT id FROM dblink('b', pg_temp.sql('claim_execute')) AS r(
    id text, clinic_id text, patient_id text, channel bigint, attempts bigint, kind bigint,
    resource text, recipient text, subject text, body text, dedupe_key text, due_time bigint));
  IF cardinality(by_a) = 0 OR cardinality(by_b) = 0 THEN
    RAISE EXCEPTION 'a claimed %, b claimed %: seed.sql has too few claimable messages', by_a, by_b;
  END IF;
  IF by_a && by_b THEN RAISE EXCEPTION 'a claimed %, b claimed % too', by_a, by_b; END IF;
  PERFORM dblink_exec('a', 'ROLLBACK');
  PERFORM dblink_exec('b', 'ROLLBACK');
  RAISE NOTICE 'a claimed %; b, while a held them, claimed %', by_a, by_b;
END $$;
SELECT dblink_disconnect('a'), dblink_disconnect('b');
