#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::domain {

// Checks a complete patient of `clinic` and normalises it: names required,
// birth date a real past date, phone to E.164 in the clinic's region, e-mail
// syntax, BCP 47 language, one consent per channel. A channel consent's
// record_time is set to `now` when it is new or its choice changed since
// `previous` (null on create). Returns INVALID_ARGUMENT naming every field.
absl::Status ValidatePatient(const std::string& prefix,
                             const clinic::v1::Clinic& clinic,
                             const clinic::v1::Patient* previous, absl::Time now,
                             clinic::v1::Patient& patient);

}  // namespace clinicd::domain
