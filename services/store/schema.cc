#include "services/store/schema.h"

#include "services/store/advisory_locks.h"

namespace clinicd::store {
namespace {

// Resource tables keep the serialized clinic.v1 message in `data` and its
// revision (the etag); other columns exist for lookups and foreign keys.
// Times are INTEGER microseconds since the Unix epoch, UTC. Each migration
// gives SQLite's text, then PostgreSQL's: the same tables, columns, checks
// and indexes, with comments only where PostgreSQL's differ.
constexpr Migration kMigrations[] = {
    {1, "practice, patients, API keys, idempotency records", R"sql(
CREATE TABLE clinics (
  id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;

CREATE TABLE practitioners (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX practitioners_by_clinic ON practitioners(clinic_id, id);

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX rooms_by_clinic ON rooms(clinic_id, id);

CREATE TABLE time_off (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  practitioner_id TEXT NOT NULL REFERENCES practitioners(id) ON DELETE CASCADE,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  CHECK (end_time > start_time)
) STRICT;
CREATE INDEX time_off_by_practitioner
  ON time_off(clinic_id, practitioner_id, start_time);

CREATE TABLE closures (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  CHECK (end_time > start_time)
) STRICT;
CREATE INDEX closures_by_clinic ON closures(clinic_id, start_time);

-- sort_key orders the patient list (folded family name, given name);
-- search_names holds every folded name word, separated by spaces, indexed
-- for word-prefix search by patients_fts below.
CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  sort_key TEXT NOT NULL,
  search_names TEXT NOT NULL,
  phone_e164 TEXT,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX patients_by_name ON patients(clinic_id, sort_key, id);
-- Phone search filters on the number and keeps the list order.
CREATE INDEX patients_by_phone ON patients(clinic_id, phone_e164, sort_key, id);

-- Full-text index of the folded name words (SQLite FTS5), kept in step by
-- triggers; a name search is a prefix query per word.
CREATE VIRTUAL TABLE patients_fts USING fts5(
  search_names, content='patients', content_rowid='rowid', tokenize='unicode61');
CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
  INSERT INTO patients_fts(rowid, search_names) VALUES (new.rowid, new.search_names);
END;
CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
  INSERT INTO patients_fts(patients_fts, rowid, search_names)
    VALUES ('delete', old.rowid, old.search_names);
END;
CREATE TRIGGER patients_fts_update AFTER UPDATE OF search_names ON patients BEGIN
  INSERT INTO patients_fts(patients_fts, rowid, search_names)
    VALUES ('delete', old.rowid, old.search_names);
  INSERT INTO patients_fts(rowid, search_names) VALUES (new.rowid, new.search_names);
END;

-- Only a SHA-256 of each secret is kept. A key limited to clinics lists them
-- in api_key_clinics; deleting a clinic removes the link, never widening a key.
CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY,
  secret_sha256 BLOB NOT NULL UNIQUE,
  role TEXT NOT NULL,
  all_clinics INTEGER NOT NULL,
  description TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  revoke_time INTEGER
) STRICT;

CREATE TABLE api_key_clinics (
  key_id TEXT NOT NULL REFERENCES api_keys(key_id) ON DELETE CASCADE,
  clinic_id TEXT NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, clinic_id)
) STRICT;

-- AIP-155: the first response to a request_id, replayed on retries.
CREATE TABLE idempotency_records (
  scope TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_sha256 BLOB NOT NULL,
  response BLOB NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (scope, request_id)
) STRICT;
)sql",
     R"sql(
-- PostgreSQL: whole numbers are bigint (microseconds overflow a 4-byte
-- integer), bytes are bytea. Text that is an id, a key or a sort order is COLLATE "C": ORDER BY
-- and the keyset comparisons of list pages then follow byte order, as
-- SQLite's do, whatever collation the database was created with.
CREATE TABLE clinics (
  id text COLLATE "C" PRIMARY KEY,
  revision bigint NOT NULL,
  data bytea NOT NULL
);

CREATE TABLE practitioners (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  revision bigint NOT NULL,
  data bytea NOT NULL
);
CREATE INDEX practitioners_by_clinic ON practitioners(clinic_id, id);

CREATE TABLE rooms (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  revision bigint NOT NULL,
  data bytea NOT NULL
);
CREATE INDEX rooms_by_clinic ON rooms(clinic_id, id);

CREATE TABLE time_off (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  practitioner_id text COLLATE "C" NOT NULL REFERENCES practitioners(id) ON DELETE CASCADE,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX time_off_by_practitioner
  ON time_off(clinic_id, practitioner_id, start_time);
-- Deleting a practitioner finds their time off (to delete it too) by this;
-- see api_key_clinics_clinic_id_fkey_idx.
CREATE INDEX time_off_practitioner_id_fkey_idx ON time_off(practitioner_id);

CREATE TABLE closures (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX closures_by_clinic ON closures(clinic_id, start_time);

-- search_tsv replaces SQLite's FTS5 table and its triggers: the folded name
-- words as lexemes, unstemmed ('simple'), kept in step by PostgreSQL itself.
-- A name search is a prefix query per word (search_tsv @@ 'ann:* & smi:*').
CREATE TABLE patients (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  sort_key text COLLATE "C" NOT NULL,
  search_names text NOT NULL,
  phone_e164 text COLLATE "C",
  revision bigint NOT NULL,
  data bytea NOT NULL,
  search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_names)) STORED
);
CREATE INDEX patients_by_name ON patients(clinic_id, sort_key, id);
CREATE INDEX patients_by_phone ON patients(clinic_id, phone_e164, sort_key, id);
CREATE INDEX patients_search ON patients USING gin (search_tsv);

CREATE TABLE api_keys (
  key_id text COLLATE "C" PRIMARY KEY,
  secret_sha256 bytea NOT NULL UNIQUE,
  role text NOT NULL,
  all_clinics bigint NOT NULL,
  description text NOT NULL,
  create_time bigint NOT NULL,
  revoke_time bigint
);

CREATE TABLE api_key_clinics (
  key_id text COLLATE "C" NOT NULL REFERENCES api_keys(key_id) ON DELETE CASCADE,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, clinic_id)
);
-- PostgreSQL does not index a foreign key's column for the rows that refer
-- to a key. Deleting a clinic finds its links by this instead of reading the
-- whole table, which at SERIALIZABLE would also lock the whole table against
-- every concurrent writer. The other *_fkey_idx indexes do the same for the
-- parents a client can delete (clinics, patients, practitioners, rooms)
-- where no index starts with the referring column.
CREATE INDEX api_key_clinics_clinic_id_fkey_idx ON api_key_clinics(clinic_id);

CREATE TABLE idempotency_records (
  scope text COLLATE "C" NOT NULL,
  request_id text COLLATE "C" NOT NULL,
  request_sha256 bytea NOT NULL,
  response bytea NOT NULL,
  create_time bigint NOT NULL,
  PRIMARY KEY (scope, request_id)
);
)sql"},
    {2, "appointments", R"sql(
-- Appointments. The practitioner is busy [start_time, end_time); the room
-- also through its turnaround, [start_time, room_end_time). Only rows in an
-- active state (1 booked, 2 checked in) hold their practitioner and room.
CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  practitioner_id TEXT NOT NULL REFERENCES practitioners(id),
  room_id TEXT NOT NULL REFERENCES rooms(id),
  treatment_type TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  room_end_time INTEGER NOT NULL,
  state INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  CHECK (end_time > start_time AND room_end_time >= end_time)
) STRICT;
CREATE INDEX appointments_by_practitioner
  ON appointments(clinic_id, practitioner_id, start_time);
CREATE INDEX appointments_by_room ON appointments(clinic_id, room_id, start_time);
CREATE INDEX appointments_by_patient ON appointments(clinic_id, patient_id, start_time);
CREATE INDEX appointments_by_start ON appointments(clinic_id, start_time);
)sql",
     R"sql(
-- The database itself refuses overlapping active bookings (state 1 booked,
-- 2 checked in): per practitioner over [start_time, end_time), per room
-- through its turnaround [start_time, room_end_time), per patient over
-- [start_time, end_time). int8range(a, b) is [a, b), so back-to-back
-- bookings do not overlap, and the CHECK keeps every range non-empty. These
-- back up the booking checks, which give the detailed refusal; btree_gist
-- lets a GiST index compare the ids with =.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE appointments (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  practitioner_id text COLLATE "C" NOT NULL REFERENCES practitioners(id),
  room_id text COLLATE "C" NOT NULL REFERENCES rooms(id),
  treatment_type text COLLATE "C" NOT NULL,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  room_end_time bigint NOT NULL,
  state bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL,
  CHECK (end_time > start_time AND room_end_time >= end_time),
  CONSTRAINT appointments_practitioner_free EXCLUDE USING gist
    (practitioner_id WITH =, int8range(start_time, end_time) WITH &&)
    WHERE (state IN (1, 2)),
  CONSTRAINT appointments_room_free EXCLUDE USING gist
    (room_id WITH =, int8range(start_time, room_end_time) WITH &&)
    WHERE (state IN (1, 2)),
  CONSTRAINT appointments_patient_free EXCLUDE USING gist
    (patient_id WITH =, int8range(start_time, end_time) WITH &&)
    WHERE (state IN (1, 2))
);
CREATE INDEX appointments_by_practitioner
  ON appointments(clinic_id, practitioner_id, start_time);
CREATE INDEX appointments_by_room ON appointments(clinic_id, room_id, start_time);
CREATE INDEX appointments_by_patient ON appointments(clinic_id, patient_id, start_time);
CREATE INDEX appointments_by_start ON appointments(clinic_id, start_time);
-- The exclusion constraints' indexes hold active bookings only, so deletes
-- need their own (see api_key_clinics_clinic_id_fkey_idx).
CREATE INDEX appointments_patient_id_fkey_idx ON appointments(patient_id);
CREATE INDEX appointments_practitioner_id_fkey_idx ON appointments(practitioner_id);
CREATE INDEX appointments_room_id_fkey_idx ON appointments(room_id);
)sql"},
    {3, "consents and screenings", R"sql(
-- Signed consents are immutable but for withdrawal; the columns let
-- clearance find a patient's consents for a treatment quickly.
CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  treatment_type TEXT NOT NULL,
  sign_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX consents_by_patient ON consents(clinic_id, patient_id, treatment_type, sign_time);

CREATE TABLE screenings (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  treatment_type TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX screenings_by_patient
  ON screenings(clinic_id, patient_id, treatment_type, create_time);
)sql",
     R"sql(
CREATE TABLE consents (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  treatment_type text COLLATE "C" NOT NULL,
  sign_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL
);
CREATE INDEX consents_by_patient ON consents(clinic_id, patient_id, treatment_type, sign_time);

CREATE TABLE screenings (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  treatment_type text COLLATE "C" NOT NULL,
  create_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL
);
CREATE INDEX screenings_by_patient
  ON screenings(clinic_id, patient_id, treatment_type, create_time);

-- See api_key_clinics_clinic_id_fkey_idx.
CREATE INDEX consents_patient_id_fkey_idx ON consents(patient_id);
CREATE INDEX screenings_patient_id_fkey_idx ON screenings(patient_id);
)sql"},
    {4, "series, recalls, the notification outbox and the event feed", R"sql(
-- A series' sessions are the appointments that name it (series_id), in time
-- order; the stored message carries the planned windows.
CREATE TABLE series (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  create_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX series_by_clinic ON series(clinic_id, create_time, id);
CREATE INDEX series_by_patient ON series(clinic_id, patient_id, create_time, id);

ALTER TABLE appointments ADD COLUMN series_id TEXT REFERENCES series(id);
CREATE INDEX appointments_by_series ON appointments(series_id, start_time)
  WHERE series_id IS NOT NULL;

-- state is clinic.v1.RecallState as stored; UPCOMING and DUE recalls are
-- open, and which of them is due or lapsed follows from the times.
CREATE TABLE recalls (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  series_id TEXT NOT NULL REFERENCES series(id),
  treatment_type TEXT NOT NULL,
  state INTEGER NOT NULL,
  due_time INTEGER NOT NULL,
  lapse_time INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  CHECK (lapse_time > due_time)
) STRICT;
CREATE INDEX recalls_by_due ON recalls(clinic_id, due_time, id);
CREATE INDEX recalls_open_by_patient ON recalls(clinic_id, patient_id, treatment_type)
  WHERE state IN (1, 2);

-- The outbox: messages written in the transaction of the change that causes
-- them, leased to reminder workers. dedupe_key is the message's identity: the
-- same message is never queued twice, and a cancelled one is revived rather
-- than duplicated. state: pending (claimable from due_time), leased (until
-- lease_expire_time, then claimable again), delivered, failed, cancelled
-- (its cause changed), suppressed (the patient opted out before delivery).
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  patient_id TEXT REFERENCES patients(id),
  resource TEXT NOT NULL,
  kind INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  due_time INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN
    ('pending', 'leased', 'delivered', 'failed', 'cancelled', 'suppressed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_id TEXT,
  lease_owner TEXT,
  lease_expire_time INTEGER,
  last_detail TEXT NOT NULL DEFAULT '',
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_pending ON notifications(due_time) WHERE state = 'pending';
CREATE INDEX notifications_leased ON notifications(lease_expire_time) WHERE state = 'leased';
CREATE INDEX notifications_by_resource ON notifications(resource, state);

-- The event feed: append-only; seq is the cursor integrations resume from.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  kind INTEGER NOT NULL,
  resource TEXT NOT NULL,
  patient TEXT NOT NULL,
  event_time INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_clinic ON events(clinic_id, seq);
)sql",
     R"sql(
CREATE TABLE series (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  create_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL
);
CREATE INDEX series_by_clinic ON series(clinic_id, create_time, id);
CREATE INDEX series_by_patient ON series(clinic_id, patient_id, create_time, id);
CREATE INDEX series_patient_id_fkey_idx ON series(patient_id);

ALTER TABLE appointments ADD COLUMN series_id text COLLATE "C" REFERENCES series(id);
CREATE INDEX appointments_by_series ON appointments(series_id, start_time)
  WHERE series_id IS NOT NULL;

CREATE TABLE recalls (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  series_id text COLLATE "C" NOT NULL REFERENCES series(id),
  treatment_type text COLLATE "C" NOT NULL,
  state bigint NOT NULL,
  due_time bigint NOT NULL,
  lapse_time bigint NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL,
  CHECK (lapse_time > due_time)
);
CREATE INDEX recalls_by_due ON recalls(clinic_id, due_time, id);
CREATE INDEX recalls_open_by_patient ON recalls(clinic_id, patient_id, treatment_type)
  WHERE state IN (1, 2);
CREATE INDEX recalls_patient_id_fkey_idx ON recalls(patient_id);
-- The recall clock's scan of every clinic (open recalls now due or lapsed)
-- finds its rows by these: at SERIALIZABLE, reading the table instead would
-- lock all of it against every concurrent write of a recall.
CREATE INDEX recalls_open_by_due ON recalls(due_time) WHERE state IN (1, 2);
CREATE INDEX recalls_open_by_lapse ON recalls(lapse_time) WHERE state IN (1, 2);

CREATE TABLE notifications (
  id text COLLATE "C" PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  patient_id text COLLATE "C" REFERENCES patients(id),
  resource text COLLATE "C" NOT NULL,
  kind bigint NOT NULL,
  channel bigint NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  dedupe_key text COLLATE "C" NOT NULL UNIQUE,
  due_time bigint NOT NULL,
  state text NOT NULL CHECK (state IN
    ('pending', 'leased', 'delivered', 'failed', 'cancelled', 'suppressed')),
  attempts bigint NOT NULL DEFAULT 0,
  lease_id text COLLATE "C",
  lease_owner text,
  lease_expire_time bigint,
  last_detail text NOT NULL DEFAULT '',
  create_time bigint NOT NULL,
  update_time bigint NOT NULL
);
CREATE INDEX notifications_pending ON notifications(due_time) WHERE state = 'pending';
CREATE INDEX notifications_leased ON notifications(lease_expire_time) WHERE state = 'leased';
CREATE INDEX notifications_by_resource ON notifications(resource, state);
-- Deleting a clinic or a patient finds their messages by these (see
-- api_key_clinics_clinic_id_fkey_idx); the first is also the order of a
-- clinic's message list.
CREATE INDEX notifications_by_clinic ON notifications(clinic_id, due_time, id);
CREATE INDEX notifications_patient_id_fkey_idx ON notifications(patient_id);

-- The event feed. A reader that has seen event N asks for the events after
-- N, so an event must never become visible after one with a larger number:
-- numbers must be handed out in commit order. A plain sequence does not do
-- that (two writers take 5 and 6, 6 commits first, a reader moves past 6,
-- then 5 commits behind it). clinicd_next_event_seq() therefore first takes
-- an advisory lock that is held until the transaction ends, so among the
-- transactions that append events one at a time holds numbers, and the next
-- gets its numbers only after the last has committed or rolled back. A
-- number a rolled-back transaction took is skipped, never reused, so the
-- feed can have gaps, but a reader at cursor N never later sees an event
-- below N commit. The sequence keeps no cache (CACHE 1): a cache per
-- connection would hand out numbers out of order across connections.
CREATE TABLE events (
  seq bigint PRIMARY KEY,
  clinic_id text COLLATE "C" NOT NULL REFERENCES clinics(id),
  kind bigint NOT NULL,
  resource text COLLATE "C" NOT NULL,
  patient text COLLATE "C" NOT NULL,
  event_time bigint NOT NULL
);
CREATE INDEX events_by_clinic ON events(clinic_id, seq);
CREATE SEQUENCE events_seq AS bigint CACHE 1 OWNED BY events.seq;
-- (The lock's key is spliced in from advisory_locks.h.)
CREATE FUNCTION clinicd_next_event_seq() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock()sql" CLINICD_PG_LOCK_EVENT_SEQ R"sql();
  RETURN nextval('events_seq');
END
$$;
-- The newest sequence number pruning has removed (SQLite's file keeps the
-- last number given by itself): when retention has pruned every event, the
-- feed still knows how far it went, so old cursors are told they expired
-- rather than that they are ahead of the feed.
CREATE TABLE event_feed_floor (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  pruned_through bigint NOT NULL
);
INSERT INTO event_feed_floor (pruned_through) VALUES (0);
)sql"},
    {5, "visit kinds (consultations beside treatment sessions), overrides in the feed", R"sql(
-- 1 a treatment session, 2 a consultation (clinic.v1.VisitKind). Spacing,
-- courses and recalls count treatment sessions only.
ALTER TABLE appointments ADD COLUMN visit_kind INTEGER NOT NULL DEFAULT 1;
CREATE INDEX appointments_by_patient_kind
  ON appointments(clinic_id, patient_id, treatment_type, visit_kind, start_time);
-- A clinician's override carried by the booking or move an event reports
-- (a serialized clinic.v1.RuleOverride), NULL for most events.
ALTER TABLE events ADD COLUMN rule_override BLOB;
)sql",
     R"sql(
ALTER TABLE appointments ADD COLUMN visit_kind bigint NOT NULL DEFAULT 1;
CREATE INDEX appointments_by_patient_kind
  ON appointments(clinic_id, patient_id, treatment_type, visit_kind, start_time);
ALTER TABLE events ADD COLUMN rule_override bytea;
)sql"},
    {6, "server secrets (the key page tokens are sealed with)", R"sql(
-- Random keys every clinicd process on this database shares, created on
-- first use; never sent to clients.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  secret BLOB NOT NULL
) STRICT;
)sql",
     R"sql(
CREATE TABLE server_secrets (
  name text COLLATE "C" PRIMARY KEY,
  secret bytea NOT NULL
);
)sql"},
    {7, "indexes the retention job deletes by", R"sql(
-- The retention job deletes the oldest rows a small batch at a time; these
-- indexes let each batch find its rows without reading the table. Events
-- need none: they go oldest first by seq, their primary key.
CREATE INDEX idempotency_records_by_time ON idempotency_records(create_time);
-- Only finished messages are ever deleted, by when they finished.
CREATE INDEX notifications_finished ON notifications(update_time)
  WHERE state IN ('delivered', 'failed', 'cancelled', 'suppressed');
)sql",
     R"sql(
CREATE INDEX idempotency_records_by_time ON idempotency_records(create_time);
CREATE INDEX notifications_finished ON notifications(update_time)
  WHERE state IN ('delivered', 'failed', 'cancelled', 'suppressed');
)sql"},
};

}  // namespace

absl::Span<const Migration> SchemaMigrations() { return kMigrations; }

}  // namespace clinicd::store
