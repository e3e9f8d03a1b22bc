#pragma once

// What decides a patient's clearance for a treatment type: their signed
// (and withdrawn) consents and their screenings, read from the consents and
// screenings tables by (clinic, patient, treatment type).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/v1/consent_service.pb.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// The patient's consents for treatment type `type`, by signing time.
absl::StatusOr<std::vector<clinic::v1::Consent>> ConsentsFor(Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& patient_id,
                                                            const std::string& type);

// The patient's screenings for treatment type `type`, oldest first.
absl::StatusOr<std::vector<clinic::v1::Screening>> ScreeningsFor(Transaction& tx,
                                                                const std::string& clinic_id,
                                                                const std::string& patient_id,
                                                                const std::string& type);

}  // namespace clinicd::store
