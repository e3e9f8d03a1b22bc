#include "services/store/treatment_history_rows.h"

#include "services/store/stored_values.h"

namespace clinicd::store {
namespace {

// Prepares `sql`, binding ?1..?3 to the patient and treatment type.
absl::StatusOr<Statement> PrepareFor(Transaction& tx, const char* sql,
                                     const PatientTreatment& who) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, who.clinic_id).BindText(2, who.patient_id).BindText(3, who.treatment_type);
  return stmt;
}

}  // namespace

absl::StatusOr<std::vector<ResourceRow>> BookedSessionsAfter(Transaction& tx,
                                                             const PatientTreatment& who,
                                                             absl::Time after) {
  absl::StatusOr<Statement> stmt = PrepareFor(
      tx,
      "SELECT id, revision, data FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND state = " CLINICD_SQL_BOOKED
      " AND visit_kind = " CLINICD_SQL_TREATMENT " AND start_time > ?4 ORDER BY start_time",
      who);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(4, after);
  std::vector<ResourceRow> rows;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    rows.push_back({stmt->ColumnText(0), stmt->ColumnInt(1), stmt->ColumnBlob(2)});
  }
}

absl::StatusOr<std::optional<std::string>> FirstSessionOutsideSeries(Transaction& tx,
                                                                     const PatientTreatment& who,
                                                                     absl::Time from,
                                                                     const std::string& series_id) {
  absl::StatusOr<Statement> stmt = PrepareFor(
      tx,
      "SELECT id FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND state IN " CLINICD_SQL_ACTIVE_STATES
      " AND visit_kind = " CLINICD_SQL_TREATMENT " AND start_time >= ?4 "
      "AND (series_id IS NULL OR series_id != ?5) ORDER BY start_time, id LIMIT 1",
      who);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(4, from).BindText(5, series_id);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

absl::StatusOr<std::optional<clinic::v1::Appointment>> LatestCompletedConsultation(
    Transaction& tx, const PatientTreatment& who) {
  absl::StatusOr<Statement> stmt = PrepareFor(
      tx,
      "SELECT data FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND visit_kind = " CLINICD_SQL_CONSULTATION
      " AND state = " CLINICD_SQL_COMPLETED " ORDER BY start_time DESC LIMIT 1",
      who);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<clinic::v1::Appointment>();
  clinic::v1::Appointment consultation;
  if (!consultation.ParseFromString(stmt->ColumnBlob(0))) {
    return absl::InternalError("a stored appointment is corrupt");
  }
  return std::optional<clinic::v1::Appointment>(std::move(consultation));
}

}  // namespace clinicd::store
