#pragma once

// A patient's appointments for one treatment type, as the follow-up and
// consent rules ask about them: sessions still booked ahead, the first
// maintenance visit after a course, the latest completed consultation. All
// use the index appointments_by_patient_kind.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Which patient and treatment type a question is about.
struct PatientTreatment {
  std::string clinic_id;
  std::string patient_id;
  // A treatment type name, e.g. `treatmentTypes/microneedling`.
  std::string treatment_type;
};

// The patient's booked (not checked-in) treatment sessions of the type that
// start after `after`, by start time, as rows to rewrite with UpdateRow.
absl::StatusOr<std::vector<ResourceRow>> BookedSessionsAfter(Transaction& tx,
                                                             const PatientTreatment& who,
                                                             absl::Time after);

// The id of the patient's first booked or checked-in treatment session of
// the type starting at or after `from` that is not a session of series
// `series_id`; nullopt when there is none.
absl::StatusOr<std::optional<std::string>> FirstSessionOutsideSeries(Transaction& tx,
                                                                     const PatientTreatment& who,
                                                                     absl::Time from,
                                                                     const std::string& series_id);

// The patient's latest completed consultation for the type, if any.
absl::StatusOr<std::optional<clinic::v1::Appointment>> LatestCompletedConsultation(
    Transaction& tx, const PatientTreatment& who);

}  // namespace clinicd::store
