#pragma once

// What signing or withdrawing a consent sets in motion, in the transaction
// that stores it: the feed event, and on withdrawal the patient's future
// booked appointments for the treatment flagged (Appointment.consent_withdrawn)
// and the clinic's front desk alerted with the list.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clinic/v1/consent_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::consent {

// The effects of storing `current` (signed when `previous` is null) under
// `scope` = {clinic id, patient id}. Fits ResourceKind::after_write.
absl::Status ApplyConsentEffects(store::Transaction& tx,
                                 const plugin_host::TreatmentRegistry& registry,
                                 const std::vector<std::string>& scope, absl::Time now,
                                 const clinic::v1::Consent* previous,
                                 const clinic::v1::Consent& current);

}  // namespace clinicd::consent
