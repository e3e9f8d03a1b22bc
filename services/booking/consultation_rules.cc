#include "services/booking/consultation_rules.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"

namespace clinicd::booking {
namespace {

using clinic::v1::Appointment;

// True when the patient had (for booking: has booked or had) a treatment
// session of `type` before `start`: then this one is not their first.
absl::StatusOr<bool> HadSessionBefore(store::Transaction& tx, const std::string& clinic_id,
                                      const std::string& patient_id, const std::string& type,
                                      const std::string& self, absl::Time start,
                                      bool completed_only) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT 1 FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND visit_kind = 1 AND id != ?4 AND start_time < ?5 "
      "AND (state = 3 OR (?6 = 0 AND state IN (1, 2))) LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id)
      .BindText(2, patient_id)
      .BindText(3, type)
      .BindText(4, self)
      .Bind(5, start)
      .Bind(6, static_cast<int64_t>(completed_only ? 1 : 0));
  return stmt->Step();
}

// The patient's latest consultation for `type` (booked, checked in or
// completed) that starts before `start`.
absl::StatusOr<std::optional<Appointment>> ConsultationBefore(store::Transaction& tx,
                                                              const std::string& clinic_id,
                                                              const std::string& patient_id,
                                                              const std::string& type,
                                                              absl::Time start) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT data FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND visit_kind = 2 AND state IN (1, 2, 3) AND start_time < ?4 "
      "ORDER BY start_time DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type).Bind(4, start);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Appointment>();
  Appointment consultation;
  if (!consultation.ParseFromString(stmt->ColumnBlob(0))) {
    return absl::InternalError("a stored appointment is corrupt");
  }
  return std::optional<Appointment>(std::move(consultation));
}

absl::Status ConsultationRequired(const std::string& message, const std::string& advice) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "CONSULTATION_REQUIRED", message,
                         {{"reasons", "CONSULTATION_REQUIRED"},
                          {"advice_CONSULTATION_REQUIRED", advice}});
}

}  // namespace

absl::Status CheckConsultationFirst(store::Transaction& tx, const clinic::v1::TreatmentType& type,
                                    const std::string& clinic_id, const Appointment& appointment,
                                    bool at_check_in, const absl::TimeZone& zone) {
  if (!type.consultation_visit().required() ||
      appointment.kind() == clinic::v1::VISIT_KIND_CONSULTATION) {
    return absl::OkStatus();
  }
  const std::string patient_id = LastIdOf(appointment.patient());
  const absl::Time start = FromProtoTime(appointment.start_time());
  absl::StatusOr<bool> had = HadSessionBefore(tx, clinic_id, patient_id, type.name(),
                                              LastIdOf(appointment.name()), start, at_check_in);
  if (!had.ok()) return had.status();
  if (*had) return absl::OkStatus();
  absl::StatusOr<std::optional<Appointment>> consultation =
      ConsultationBefore(tx, clinic_id, patient_id, type.name(), start);
  if (!consultation.ok()) return consultation.status();
  const std::string book_one =
      absl::StrCat("book a consultation (kind CONSULTATION) for ", type.display_name(),
                   " before this session");
  if (!consultation->has_value()) {
    return ConsultationRequired(
        absl::StrCat("a first session of ", type.display_name(),
                     " needs a consultation before it; the patient has none booked"),
        book_one);
  }
  const Appointment& found = **consultation;
  const std::string when = LocalTimeText(FromProtoTime(found.start_time()), zone);
  const bool recorded = found.state() == clinic::v1::APPOINTMENT_STATE_COMPLETED;
  if (recorded && !found.consultation_outcome().suitable()) {
    return ConsultationRequired(
        absl::StrCat("the consultation on ", when, " found the patient not suitable for ",
                     type.display_name()),
        absl::StrCat("a clinician must find the patient suitable first; ", book_one));
  }
  if (at_check_in && !recorded) {
    return ConsultationRequired(
        absl::StrCat("the consultation on ", when, " has no outcome recorded"),
        absl::StrCat("the clinician records its outcome (RecordConsultationOutcome) "
                     "before the first session: ",
                     found.name()));
  }
  return absl::OkStatus();
}

}  // namespace clinicd::booking
