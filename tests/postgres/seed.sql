-- Rows for check_schema.sh: enough that the planner prefers an index where
-- one helps, mostly in clinic c1 (c2 holds a share of the events and
-- messages), with the ids store_statements.cc's sample values name.
-- Appointments take one 30-minute slot each, so none overlap.
INSERT INTO clinics VALUES ('c1', 1, ''), ('c2', 1, '');
INSERT INTO practitioners SELECT 'p' || i, 'c1', 1, '' FROM generate_series(1, 50) i;
INSERT INTO rooms SELECT 'r' || i, 'c1', 1, '' FROM generate_series(1, 20) i;
INSERT INTO patients (id, clinic_id, sort_key, search_names, phone_e164, revision, data)
  SELECT 'pt' || i, 'c1',
         family || chr(31) || given || chr(31) || i,
         ' ' || given || ' ' || family || ' w' || i,
         '+44163296' || lpad(i::text, 4, '0'), 1, ''
  FROM generate_series(1, 5000) i,
       LATERAL (SELECT (ARRAY['smith', 'jones', 'brown', 'taylor', 'annan'])[i % 5 + 1] AS family,
                       (ARRAY['anna', 'ben', 'carla', 'dmitri', 'eve'])[i / 5 % 5 + 1] AS given) n;
INSERT INTO appointments (id, clinic_id, patient_id, practitioner_id, room_id, treatment_type,
                          start_time, end_time, room_end_time, state, revision, data, visit_kind)
  SELECT 'a' || i, 'c1', 'pt' || (i % 5000 + 1), 'p' || (i % 50 + 1), 'r' || (i % 20 + 1),
         (ARRAY['botox', 'filler'])[i % 2 + 1], t, t + 1200000000, t + 1500000000,
         (ARRAY[1, 1, 3, 4])[i % 4 + 1], 1, '', CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END
  FROM generate_series(1, 50000) i, LATERAL (SELECT 1767225600000000 + i * 1800000000::bigint AS t) s;
INSERT INTO time_off SELECT 'to' || i, 'c1', 'p' || (i % 50 + 1), t, t + 7200000000, 1, ''
  FROM generate_series(1, 2000) i, LATERAL (SELECT 1767225600000000 + i * 43200000000::bigint AS t) s;
INSERT INTO closures SELECT 'cl' || i, 'c1', t, t + 86400000000, 1, ''
  FROM generate_series(1, 500) i, LATERAL (SELECT 1767225600000000 + i * 172800000000::bigint AS t) s;
INSERT INTO series SELECT 's' || i, 'c1', 'pt' || (i % 5000 + 1), 1767225600000000, 1, ''
  FROM generate_series(1, 1000) i;
INSERT INTO recalls SELECT 'rc' || i, 'c1', 'pt' || (i % 5000 + 1), 's' || (i % 1000 + 1), 'botox',
         i % 5 + 1, t, t + 2592000000000, 1, ''
  FROM generate_series(1, 5000) i, LATERAL (SELECT 1767225600000000 + i * 3600000000::bigint AS t) s;
INSERT INTO notifications (id, clinic_id, patient_id, resource, kind, channel, recipient, subject,
                           body, dedupe_key, due_time, state, lease_expire_time, create_time,
                           update_time)
  SELECT 'n' || i, (ARRAY['c1', 'c2'])[i % 2 + 1], CASE WHEN i % 2 = 1 THEN 'pt' || (i % 5000 + 1) END,
         'clinics/c1/appointments/a' || i, 1, i % 3 + 1, 'someone', 'subject', 'body', 'd' || i, t,
         st, CASE WHEN st = 'leased' THEN t + 600000000 END, t, t
  FROM generate_series(1, 20000) i,
       LATERAL (SELECT 1767225600000000 + i * 3600000000::bigint AS t,
                       (ARRAY['pending', 'leased', 'pending', 'delivered', 'failed', 'cancelled',
                              'delivered'])[i % 7 + 1] AS st) s;
INSERT INTO events (seq, clinic_id, kind, resource, patient, event_time)
  SELECT clinicd_next_event_seq(), (ARRAY['c1', 'c2'])[i % 2 + 1], 1, 'r', 'p', 1767225600000000
  FROM generate_series(1, 20000) i;
INSERT INTO consents SELECT 'co' || i, 'c1', 'pt' || (i % 5000 + 1), 'botox', 1767225600000000, 1, ''
  FROM generate_series(1, 1000) i;
INSERT INTO screenings SELECT 'sc' || i, 'c1', 'pt' || (i % 5000 + 1), 'botox', 1767225600000000, 1, ''
  FROM generate_series(1, 1000) i;
INSERT INTO api_keys SELECT 'k' || i, sha256(i::text::bytea), 'front_desk', 0, 'key', 0, NULL
  FROM generate_series(1, 200) i;
INSERT INTO api_key_clinics SELECT 'k' || i, (ARRAY['c1', 'c2'])[i % 2 + 1] FROM generate_series(1, 200) i;
ANALYZE;
