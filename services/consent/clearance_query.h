#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/treatment.pb.h"
#include "services/store/transaction.h"

namespace clinicd::consent {

// Loads a patient's consents and latest screening for `type` inside `tx`
// and evaluates clearance for a session at `time` (domain/clearance.h).
absl::StatusOr<clinic::v1::Clearance> ClearanceFor(store::Transaction& tx,
                                                   const clinic::v1::TreatmentType& type,
                                                   const std::string& clinic_id,
                                                   const std::string& patient_id, absl::Time time);

// A refusal for an uncleared session: FAILED_PRECONDITION whose reason is
// the first clearance reason, whose message lists them all, and whose
// metadata carries every reason, each one's advice (`advice_<REASON>`) and the
// earliest treatable time.
absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what);

}  // namespace clinicd::consent
