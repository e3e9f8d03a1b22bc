#include "services/store/booking_queries.h"

#include <algorithm>

#include "clinic/v1/follow_up_service.pb.h"
#include "services/common/proto_time.h"
#include "services/store/stored_values.h"

namespace clinicd::store {
namespace {

// Reads every row of `stmt` as (owner, start, end).
absl::StatusOr<std::vector<HeldTime>> HeldRows(Statement& stmt) {
  std::vector<HeldTime> rows;
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    rows.push_back({stmt.ColumnText(0), stmt.ColumnTime(1), stmt.ColumnTime(2)});
  }
}

// Runs an overlap query whose SQL binds ?1 the clinic, ?2 the owner (or
// owners), ?3 the window's start, ?4 its end, ?5 the earliest start that can
// still reach the window and ?6 the appointment left out (when it has one).
//
// SQLite is told the index (INDEXED BY), which its planner would otherwise
// not always pick, and takes a list of owners apart with json_each;
// PostgreSQL's planner picks the index itself, and a list of owners is an
// array (= ANY), which an index scan takes as a set of keys.
absl::StatusOr<std::vector<HeldTime>> Overlapping(Transaction& tx, const DialectSql& sql,
                                                  const std::string& clinic_id,
                                                  const std::vector<std::string>* owners,
                                                  const std::string* owner,
                                                  const BookingWindow& window,
                                                  absl::Duration longest, bool excludes) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id)
      .Bind(3, window.from)
      .Bind(4, window.to)
      .Bind(5, window.from - longest);
  if (owners != nullptr) stmt->BindTextList(2, *owners);
  if (owner != nullptr) stmt->BindText(2, *owner);
  if (excludes) stmt->BindText(6, window.exclude_id);
  return HeldRows(*stmt);
}

// Binds ?1..?4 of a query on appointments_by_patient_kind: the patient's
// visits of one kind for one treatment.
Statement& BindPatientVisits(Statement& stmt, const std::string& clinic_id,
                             const std::string& patient_id, const std::string& type,
                             int64_t visit_kind) {
  return stmt.BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type).Bind(4, visit_kind);
}

// Appends every row of `stmt` (one column: a stored appointment).
absl::Status AppendAppointments(Statement& stmt, std::vector<clinic::v1::Appointment>& out) {
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    clinic::v1::Appointment appointment;
    if (!appointment.ParseFromString(stmt.ColumnBlob(0))) {
      return absl::InternalError("a stored appointment is corrupt");
    }
    out.push_back(std::move(appointment));
  }
}

template <typename M>
absl::StatusOr<std::vector<M>> AllOfClinic(Transaction& tx, absl::string_view sql,
                                           const std::string& clinic_id) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id);
  std::vector<M> items;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return items;
    M item;
    if (!item.ParseFromString(stmt->ColumnBlob(0))) return absl::InternalError("corrupt row");
    items.push_back(std::move(item));
  }
}

}  // namespace

absl::StatusOr<std::vector<HeldTime>> PractitionerAppointments(Transaction& tx,
                                                               const std::string& clinic_id,
                                                               const std::vector<std::string>& ids,
                                                               const BookingWindow& window,
                                                               absl::Duration longest) {
  return Overlapping(
      tx,
      DialectSql{"SELECT practitioner_id, start_time, end_time FROM appointments INDEXED BY "
                 "appointments_by_practitioner WHERE clinic_id = ?1 AND practitioner_id IN "
                 "(SELECT value FROM json_each(?2)) AND start_time < ?4 AND start_time > ?5 "
                 "AND end_time > ?3 AND id != ?6 AND state IN " CLINICD_SQL_ACTIVE_STATES,
                 "SELECT practitioner_id, start_time, end_time FROM appointments "
                 "WHERE clinic_id = $1 AND practitioner_id = ANY($2::text[]) "
                 "AND start_time < $4 AND start_time > $5 "
                 "AND end_time > $3 AND id != $6 AND state IN " CLINICD_SQL_ACTIVE_STATES},
      clinic_id, &ids, nullptr, window, longest, true);
}

absl::StatusOr<std::vector<HeldTime>> RoomAppointments(Transaction& tx,
                                                       const std::string& clinic_id,
                                                       const std::vector<std::string>& ids,
                                                       const BookingWindow& window,
                                                       absl::Duration longest) {
  return Overlapping(
      tx,
      DialectSql{"SELECT room_id, start_time, room_end_time FROM appointments INDEXED BY "
                 "appointments_by_room WHERE clinic_id = ?1 AND room_id IN "
                 "(SELECT value FROM json_each(?2)) AND start_time < ?4 AND start_time > ?5 "
                 "AND room_end_time > ?3 AND id != ?6 AND state IN " CLINICD_SQL_ACTIVE_STATES,
                 "SELECT room_id, start_time, room_end_time FROM appointments "
                 "WHERE clinic_id = $1 AND room_id = ANY($2::text[]) "
                 "AND start_time < $4 AND start_time > $5 "
                 "AND room_end_time > $3 AND id != $6 AND state IN " CLINICD_SQL_ACTIVE_STATES},
      clinic_id, &ids, nullptr, window, longest, true);
}

absl::StatusOr<std::vector<HeldTime>> PatientAppointments(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const std::string& patient_id,
                                                          const BookingWindow& window,
                                                          absl::Duration longest) {
  return Overlapping(
      tx,
      DialectSql{"SELECT patient_id, start_time, end_time FROM appointments INDEXED BY "
                 "appointments_by_patient WHERE clinic_id = ?1 AND patient_id = ?2 "
                 "AND start_time < ?4 AND start_time > ?5 AND end_time > ?3 AND id != ?6 "
                 "AND state IN " CLINICD_SQL_ACTIVE_STATES,
                 "SELECT patient_id, start_time, end_time FROM appointments "
                 "WHERE clinic_id = $1 AND patient_id = $2 "
                 "AND start_time < $4 AND start_time > $5 AND end_time > $3 AND id != $6 "
                 "AND state IN " CLINICD_SQL_ACTIVE_STATES},
      clinic_id, nullptr, &patient_id, window, longest, true);
}

absl::StatusOr<std::vector<HeldTime>> TimeOffOverlapping(Transaction& tx,
                                                         const std::string& clinic_id,
                                                         const std::vector<std::string>& ids,
                                                         const BookingWindow& window,
                                                         absl::Duration longest) {
  return Overlapping(
      tx,
      DialectSql{"SELECT practitioner_id, start_time, end_time FROM time_off INDEXED BY "
                 "time_off_by_practitioner WHERE clinic_id = ?1 AND practitioner_id IN "
                 "(SELECT value FROM json_each(?2)) AND start_time < ?4 AND start_time > ?5 "
                 "AND end_time > ?3",
                 "SELECT practitioner_id, start_time, end_time FROM time_off "
                 "WHERE clinic_id = $1 AND practitioner_id = ANY($2::text[]) "
                 "AND start_time < $4 AND start_time > $5 AND end_time > $3"},
      clinic_id, &ids, nullptr, window, longest, false);
}

absl::StatusOr<std::vector<HeldTime>> ClosuresOverlapping(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const BookingWindow& window,
                                                          absl::Duration longest) {
  absl::StatusOr<Statement> stmt = tx.Prepare(DialectSql{
      "SELECT clinic_id, start_time, end_time FROM closures INDEXED BY closures_by_clinic "
      "WHERE clinic_id = ?1 AND start_time < ?3 AND start_time > ?4 AND end_time > ?2",
      "SELECT clinic_id, start_time, end_time FROM closures "
      "WHERE clinic_id = $1 AND start_time < $3 AND start_time > $4 AND end_time > $2"});
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id)
      .Bind(2, window.from)
      .Bind(3, window.to)
      .Bind(4, window.from - longest);
  return HeldRows(*stmt);
}

absl::StatusOr<std::vector<absl::Time>> CountedSessionTimes(Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& patient_id,
                                                            const std::string& type,
                                                            const BookingWindow& window) {
  absl::StatusOr<Statement> stmt = tx.Prepare(DialectSql{
      "SELECT start_time FROM appointments INDEXED BY appointments_by_patient_kind "
      "WHERE clinic_id = ?1 AND patient_id = ?2 AND treatment_type = ?3 AND visit_kind = ?4 "
      "AND start_time >= ?5 AND start_time < ?6 AND id != ?7 "
      "AND state IN " CLINICD_SQL_COUNTED_STATES " ORDER BY start_time",
      "SELECT start_time FROM appointments "
      "WHERE clinic_id = $1 AND patient_id = $2 AND treatment_type = $3 AND visit_kind = $4 "
      "AND start_time >= $5 AND start_time < $6 AND id != $7 "
      "AND state IN " CLINICD_SQL_COUNTED_STATES " ORDER BY start_time"});
  if (!stmt.ok()) return stmt.status();
  BindPatientVisits(*stmt, clinic_id, patient_id, type, kStoredTreatment)
      .Bind(5, window.from)
      .Bind(6, window.to)
      .BindText(7, window.exclude_id);
  std::vector<absl::Time> times;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return times;
    times.push_back(stmt->ColumnTime(0));
  }
}

absl::StatusOr<std::optional<absl::Time>> FirstSessionTime(
    Transaction& tx, const std::string& clinic_id, const std::string& patient_id,
    const std::string& type, const std::string& exclude_id, bool completed_only) {
  absl::StatusOr<Statement> stmt = tx.Prepare(DialectSql{
      "SELECT start_time FROM appointments INDEXED BY appointments_by_patient_kind "
      "WHERE clinic_id = ?1 AND patient_id = ?2 AND treatment_type = ?3 AND visit_kind = ?4 "
      "AND id != ?5 AND (state = ?6 OR (?7 = 0 AND state IN " CLINICD_SQL_ACTIVE_STATES
      "))"
      " ORDER BY start_time LIMIT 1",
      "SELECT start_time FROM appointments "
      "WHERE clinic_id = $1 AND patient_id = $2 AND treatment_type = $3 AND visit_kind = $4 "
      "AND id != $5 AND (state = $6 OR ($7 = 0 AND state IN " CLINICD_SQL_ACTIVE_STATES
      ")) ORDER BY start_time LIMIT 1"});
  if (!stmt.ok()) return stmt.status();
  BindPatientVisits(*stmt, clinic_id, patient_id, type, kStoredTreatment)
      .BindText(5, exclude_id)
      .Bind(6, kStoredCompleted)
      .Bind(7, completed_only ? 1 : 0);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<absl::Time>();
  return std::optional<absl::Time>(stmt->ColumnTime(0));
}

absl::StatusOr<std::vector<clinic::v1::Appointment>> ConsultationsNear(
    Transaction& tx, const std::string& clinic_id, const std::string& patient_id,
    const std::string& type, const BookingWindow& window) {
  // The latest before the window (one seek back), then the window's own.
  absl::StatusOr<Statement> latest = tx.Prepare(DialectSql{
      "SELECT data FROM appointments INDEXED BY appointments_by_patient_kind "
      "WHERE clinic_id = ?1 AND patient_id = ?2 AND treatment_type = ?3 AND visit_kind = ?4 "
      "AND start_time < ?5 AND state IN " CLINICD_SQL_COUNTED_STATES
      " ORDER BY start_time DESC LIMIT 1",
      "SELECT data FROM appointments "
      "WHERE clinic_id = $1 AND patient_id = $2 AND treatment_type = $3 AND visit_kind = $4 "
      "AND start_time < $5 AND state IN " CLINICD_SQL_COUNTED_STATES
      " ORDER BY start_time DESC LIMIT 1"});
  if (!latest.ok()) return latest.status();
  BindPatientVisits(*latest, clinic_id, patient_id, type, kStoredConsultation).Bind(5, window.from);
  std::vector<clinic::v1::Appointment> found;
  if (absl::Status s = AppendAppointments(*latest, found); !s.ok()) return s;
  absl::StatusOr<Statement> inside = tx.Prepare(DialectSql{
      "SELECT data FROM appointments INDEXED BY appointments_by_patient_kind "
      "WHERE clinic_id = ?1 AND patient_id = ?2 AND treatment_type = ?3 AND visit_kind = ?4 "
      "AND start_time >= ?5 AND start_time < ?6 AND state IN " CLINICD_SQL_COUNTED_STATES
      " ORDER BY start_time",
      "SELECT data FROM appointments "
      "WHERE clinic_id = $1 AND patient_id = $2 AND treatment_type = $3 AND visit_kind = $4 "
      "AND start_time >= $5 AND start_time < $6 AND state IN " CLINICD_SQL_COUNTED_STATES
      " ORDER BY start_time"});
  if (!inside.ok()) return inside.status();
  BindPatientVisits(*inside, clinic_id, patient_id, type, kStoredConsultation)
      .Bind(5, window.from)
      .Bind(6, window.to);
  if (absl::Status s = AppendAppointments(*inside, found); !s.ok()) return s;
  return found;
}

absl::StatusOr<std::vector<SeriesSessionRow>> SeriesSessions(Transaction& tx,
                                                             const std::string& clinic_id,
                                                             const std::string& series_id,
                                                             const std::string& exclude_id) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT id, state, start_time FROM appointments WHERE series_id = ?1 AND clinic_id = ?2 "
      "AND state IN " CLINICD_SQL_COUNTED_STATES " AND id != ?3 ORDER BY start_time, id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, series_id).BindText(2, clinic_id).BindText(3, exclude_id);
  std::vector<SeriesSessionRow> taken;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return taken;
    taken.push_back({stmt->ColumnText(0),
                     static_cast<clinic::v1::AppointmentState>(stmt->ColumnInt(1)),
                     stmt->ColumnTime(2)});
  }
}

absl::StatusOr<absl::Time> LastCompletedCourseSession(Transaction& tx, const std::string& clinic_id,
                                                      const std::string& patient_id,
                                                      const std::string& type,
                                                      const std::string& except_series) {
  // Per other series of the patient with completed sessions of the type:
  // its stored message (for its state) and its last completed session.
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT s.data, max(a.start_time) FROM appointments a JOIN series s "
      "ON s.clinic_id = a.clinic_id AND s.id = a.series_id "
      "WHERE a.clinic_id = ?1 AND a.patient_id = ?2 AND a.treatment_type = ?3 "
      "AND a.state = ?5 AND a.visit_kind = ?6 AND a.series_id != ?4 GROUP BY s.id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id)
      .BindText(2, patient_id)
      .BindText(3, type)
      .BindText(4, except_series)
      .Bind(5, kStoredCompleted)
      .Bind(6, kStoredTreatment);
  absl::Time last = absl::InfinitePast();
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return last;
    clinic::v1::Series series;
    if (!series.ParseFromString(stmt->ColumnBlob(0))) {
      return absl::InternalError("a stored series is corrupt");
    }
    if (series.state() == clinic::v1::SERIES_STATE_COMPLETED) {
      last = std::max(last, stmt->ColumnTime(1));
    }
  }
}

absl::StatusOr<absl::Time> OpenRecallDue(Transaction& tx, const std::string& clinic_id,
                                         const std::string& patient_id, const std::string& type) {
  // The literal list matches recalls_open_by_patient's partial-index condition.
  static_assert(kStoredRecallUpcoming == 1 && kStoredRecallDue == 2);
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT data FROM recalls WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND state IN (1, 2)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type);
  absl::Time due = absl::InfinitePast();
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return due;
    clinic::v1::Recall recall;
    if (!recall.ParseFromString(stmt->ColumnBlob(0))) {
      return absl::InternalError("a stored recall is corrupt");
    }
    const absl::Time recall_due = FromProtoTime(recall.due_time());
    due = due == absl::InfinitePast() ? recall_due : std::min(due, recall_due);
  }
}

absl::StatusOr<std::vector<clinic::v1::Practitioner>> ClinicPractitioners(
    Transaction& tx, const std::string& clinic_id) {
  return AllOfClinic<clinic::v1::Practitioner>(
      tx, "SELECT data FROM practitioners WHERE clinic_id = ?1 ORDER BY id", clinic_id);
}

absl::StatusOr<std::vector<clinic::v1::Room>> ClinicRooms(Transaction& tx,
                                                          const std::string& clinic_id) {
  return AllOfClinic<clinic::v1::Room>(
      tx, "SELECT data FROM rooms WHERE clinic_id = ?1 ORDER BY id", clinic_id);
}

}  // namespace clinicd::store
