#include "services/store/consent_rows.h"

namespace clinicd::store {
namespace {

// Reads every row of `sql` — selecting one serialized M, with ?1..?3 the
// clinic, patient and treatment type — failing with `corrupt` on bad bytes.
template <typename M>
absl::StatusOr<std::vector<M>> ReadPatientRows(Transaction& tx, const char* sql,
                                               const std::string& clinic_id,
                                               const std::string& patient_id,
                                               const std::string& type, const char* corrupt) {
  absl::StatusOr<Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type);
  std::vector<M> found;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return found;
    if (!found.emplace_back().ParseFromString(stmt->ColumnBlob(0))) {
      return absl::InternalError(corrupt);
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<clinic::v1::Consent>> ConsentsFor(Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& patient_id,
                                                            const std::string& type) {
  return ReadPatientRows<clinic::v1::Consent>(
      tx,
      "SELECT data FROM consents WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 ORDER BY sign_time",
      clinic_id, patient_id, type, "a stored consent is corrupt");
}

absl::StatusOr<std::vector<clinic::v1::Screening>> ScreeningsFor(Transaction& tx,
                                                                const std::string& clinic_id,
                                                                const std::string& patient_id,
                                                                const std::string& type) {
  return ReadPatientRows<clinic::v1::Screening>(
      tx,
      "SELECT data FROM screenings WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 ORDER BY create_time, id",
      clinic_id, patient_id, type, "a stored screening is corrupt");
}

}  // namespace clinicd::store
