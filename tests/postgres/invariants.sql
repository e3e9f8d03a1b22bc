-- What the PostgreSQL schema keeps by itself, checked in one session on the
-- migrated and seeded database (seed.sql). Each check raises an error on
-- failure; check_schema.sh runs this with ON_ERROR_STOP.

-- The constraint that refused `statement`, or 'accepted' when it ran.
CREATE FUNCTION pg_temp.refused_by(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  name text;
BEGIN
  EXECUTE statement;
  RETURN 'accepted';
EXCEPTION WHEN exclusion_violation THEN
  GET STACKED DIAGNOSTICS name = CONSTRAINT_NAME;
  RETURN name;
END $$;

-- Fails unless `statement` is refused by `expected` (or accepted, when
-- expected is 'accepted').
CREATE FUNCTION pg_temp.expect(statement text, expected text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  got text := pg_temp.refused_by(statement);
BEGIN
  IF got <> expected THEN
    RAISE EXCEPTION 'expected %, got %: %', expected, got, statement;
  END IF;
  RAISE NOTICE 'ok (%): %', got, statement;
END $$;

-- A booking in c1 at minute m (from 2033-05-18), m_end its end, the room
-- busy until room_m; none of seed.sql's bookings are that late.
CREATE FUNCTION pg_temp.book(id text, practitioner text, room text, patient text,
                             m int, m_end int, room_m int, state int DEFAULT 1)
RETURNS text LANGUAGE sql AS $$
  SELECT format('INSERT INTO appointments (id, clinic_id, patient_id, practitioner_id, room_id, '
                'treatment_type, start_time, end_time, room_end_time, state, revision, data) '
                'VALUES (%L, ''c1'', %L, %L, %L, ''botox'', %s, %s, %s, %s, 1, '''')',
                id, patient, practitioner, room,
                2000000000000000 + m * 60000000::bigint, 2000000000000000 + m_end * 60000000::bigint,
                2000000000000000 + room_m * 60000000::bigint, state)
$$;

\echo === exclusion constraints: overlapping active bookings are refused
-- x1 holds p1 [0, 30), r1 [0, 40) with its turnaround, and pt1 [0, 30).
SELECT pg_temp.expect(pg_temp.book('x1', 'p1', 'r1', 'pt1', 0, 30, 40), 'accepted');
SELECT pg_temp.expect(pg_temp.book('x2', 'p1', 'r2', 'pt2', 20, 50, 50), 'appointments_practitioner_free');
SELECT pg_temp.expect(pg_temp.book('x3', 'p2', 'r1', 'pt3', 35, 60, 60), 'appointments_room_free');
SELECT pg_temp.expect(pg_temp.book('x4', 'p3', 'r3', 'pt1', 10, 20, 20), 'appointments_patient_free');
\echo === back to back is no overlap: [a, b) then [b, c)
SELECT pg_temp.expect(pg_temp.book('x5', 'p1', 'r2', 'pt2', 30, 60, 60), 'accepted');
SELECT pg_temp.expect(pg_temp.book('x6', 'p2', 'r1', 'pt3', 40, 60, 60), 'accepted');
SELECT pg_temp.expect(pg_temp.book('x7', 'p4', 'r4', 'pt1', 30, 45, 45), 'accepted');
\echo === only booked (1) and checked-in (2) bookings hold their time
SELECT pg_temp.expect($$UPDATE appointments SET state = 4 WHERE id = 'x1'$$, 'accepted');
SELECT pg_temp.expect(pg_temp.book('x8', 'p1', 'r1', 'pt1', 0, 30, 40), 'accepted');
SELECT pg_temp.expect($$UPDATE appointments SET state = 3 WHERE id = 'x8'$$, 'accepted');
SELECT pg_temp.expect(pg_temp.book('x9', 'p1', 'r1', 'pt1', 0, 30, 40, 2), 'accepted');
SELECT pg_temp.expect(pg_temp.book('x10', 'p5', 'r5', 'pt5', 0, 30, 30, 5), 'accepted');
SELECT pg_temp.expect(pg_temp.book('x11', 'p5', 'r5', 'pt5', 0, 30, 30, 1), 'accepted');
\echo === reviving a cancelled booking over a live one is refused
SELECT pg_temp.expect($$UPDATE appointments SET state = 1 WHERE id = 'x1'$$,
                      'appointments_practitioner_free');
\echo === a move onto a taken slot is refused
SELECT pg_temp.expect($$UPDATE appointments SET start_time = start_time + 600000000,
                        end_time = end_time + 600000000, room_end_time = room_end_time + 600000000
                        WHERE id = 'x9'$$, 'appointments_practitioner_free');

\echo === ids and sort keys order bytewise, whatever the database collation
SELECT datlocprovider, datcollate, daticulocale FROM pg_database WHERE datname = current_database();
INSERT INTO patients (id, clinic_id, sort_key, search_names, revision, data) VALUES
  ('o-a', 'c2', 'alpha', ' alpha', 1, ''), ('o-B', 'c2', 'Beta', ' beta', 1, ''),
  ('o-Z', 'c2', 'Zulu', ' zulu', 1, ''), ('o-a2', 'c2', 'alpha', ' alpha', 1, '');
DO $$
DECLARE
  listed text := (SELECT string_agg(id, ',') FROM (SELECT id FROM patients WHERE clinic_id = 'c2'
                  ORDER BY sort_key, id) page);
  next_page text := (SELECT string_agg(id, ',') FROM (SELECT id FROM patients WHERE clinic_id = 'c2'
                     AND (sort_key, id) > ('Zulu', 'o-Z') ORDER BY sort_key, id) page);
  by_default text := (SELECT string_agg(id, ',') FROM (SELECT id FROM patients WHERE clinic_id = 'c2'
                      ORDER BY sort_key COLLATE "default", id) page);
BEGIN
  IF listed <> 'o-B,o-Z,o-a,o-a2' THEN RAISE EXCEPTION 'list order %', listed; END IF;
  IF next_page <> 'o-a,o-a2' THEN RAISE EXCEPTION 'page after Zulu: %', next_page; END IF;
  RAISE NOTICE 'byte order: %; the database''s own collation would give %', listed, by_default;
END $$;

\echo === name search: every word starts one of the names, as with FTS5
DO $$
DECLARE
  found bigint := (SELECT count(*) FROM patients
                   WHERE search_tsv @@ to_tsquery('simple', 'ann:* & smi:*'));
  expected bigint := (SELECT count(*) FROM patients
                      WHERE search_names LIKE '% ann%' AND search_names LIKE '% smi%');
BEGIN
  IF found <> expected OR found = 0 THEN
    RAISE EXCEPTION 'tsquery found %, the words say %', found, expected;
  END IF;
  -- Words are kept whole: no stemming ("jones" is no "jone"), no stop words
  -- ("will").
  INSERT INTO patients (id, clinic_id, sort_key, search_names, revision, data)
    VALUES ('o-will', 'c2', 'jones', ' will jones', 1, '');
  IF NOT EXISTS (SELECT 1 FROM patients WHERE id = 'o-will'
                 AND search_tsv @@ to_tsquery('simple', 'will:* & jones:*')) THEN
    RAISE EXCEPTION 'will jones is not found by his whole names';
  END IF;
  -- Folded words keep letters of every script; they are lexemes too.
  IF NOT to_tsvector('simple', ' олег 9b') @@ to_tsquery('simple', 'ол:* & 9:*') THEN
    RAISE EXCEPTION 'a Cyrillic or digit-led word is not searchable';
  END IF;
  RAISE NOTICE 'ann:* & smi:* matches % patients, as LIKE does', found;
END $$;

\echo === deleting a clinic, patient, practitioner or room checks each referring table by an index
-- PostgreSQL's foreign-key check for a deleted key runs
-- SELECT 1 FROM referring WHERE column = $1: it can seek when an index (not
-- a partial one) starts with that column. Without one it reads the table,
-- and at SERIALIZABLE locks all of it against every concurrent writer.
DO $$
DECLARE
  fk record;
BEGIN
  FOR fk IN
    SELECT c.conrelid::regclass AS referring, a.attname AS column_name,
           c.confrelid::regclass AS parent,
           (SELECT string_agg(i.indexrelid::regclass::text, ', ') FROM pg_index i
            WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1] AND i.indpred IS NULL)
             AS indexes
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f'
      AND c.confrelid IN ('clinics'::regclass, 'patients'::regclass, 'practitioners'::regclass,
                          'rooms'::regclass)
    ORDER BY 1, 2
  LOOP
    IF fk.indexes IS NULL THEN
      RAISE EXCEPTION 'no index starts with %.% (-> %)', fk.referring, fk.column_name, fk.parent;
    END IF;
    RAISE NOTICE '%.% -> %: %', fk.referring, fk.column_name, fk.parent, fk.indexes;
  END LOOP;
END $$;
