#include "services/store/schema.h"

namespace clinicd::store {
namespace {

// Resource tables keep the serialized clinic.v1 message in `data` and its
// revision (the etag); other columns exist for lookups and foreign keys.
// Times are INTEGER microseconds since the Unix epoch, UTC.
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
)sql"},
    {6, "server secrets (the key page tokens are sealed with)", R"sql(
-- Random keys every clinicd process on this database shares, created on
-- first use; never sent to clients.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  secret BLOB NOT NULL
) STRICT;
)sql"},
    {7, "indexes the retention job deletes by", R"sql(
-- The retention job deletes the oldest rows a small batch at a time; these
-- indexes let each batch find its rows without reading the table. Events
-- need none: they go oldest first by seq, their primary key.
CREATE INDEX idempotency_records_by_time ON idempotency_records(create_time);
-- Only finished messages are ever deleted, by when they finished.
CREATE INDEX notifications_finished ON notifications(update_time)
  WHERE state IN ('delivered', 'failed', 'cancelled', 'suppressed');
)sql"},
};

}  // namespace

absl::Span<const Migration> SchemaMigrations() { return kMigrations; }

}  // namespace clinicd::store
