#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/treatment.pb.h"
#include "services/domain/clearance.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::consent {

// Loads what decides a patient's clearance for `type` inside `tx` — their
// consents and screenings — and has the plugin evaluate each screening's
// answers for a session at `time` (domain/clearance.h says which screenings
// count). The facts hold for any session at or after `time` as far as dated
// restrictions go, which is how a search evaluates many slots from one load.
absl::StatusOr<domain::ClearanceInput> LoadClearanceFacts(
    store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
    const clinic::v1::TreatmentType& type, const std::string& clinic_id,
    const std::string& patient_id, absl::Time time);

// Clearance for a session of `type` at `time`: the facts loaded and the
// answers evaluated for exactly that time.
absl::StatusOr<clinic::v1::Clearance> ClearanceFor(store::Transaction& tx,
                                                   const plugin_host::TreatmentRegistry& registry,
                                                   const clinic::v1::TreatmentType& type,
                                                   const std::string& clinic_id,
                                                   const std::string& patient_id, absl::Time time);

// A refusal for an uncleared session: FAILED_PRECONDITION whose reason is
// the first clearance reason, whose message lists them all, and whose
// metadata carries every reason, each one's advice (`advice_<REASON>`) and the
// earliest treatable time.
absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what);

}  // namespace clinicd::consent
