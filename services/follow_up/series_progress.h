#pragma once

// What follows when a series' sessions change: re-planning its windows,
// prompting the patient to book the next session, and at completion the
// SERIES_COMPLETED event and the maintenance recall.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/outbox/patient_messages.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::follow_up {

// Re-plans series `series_id` of clinic `clinic_id` from its appointments as
// they stand in `tx` and stores it, with every effect of the change.
// `outbox` is the series' patient's.
absl::Status ReplanSeries(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                          const std::string& clinic_id, const std::string& series_id,
                          const outbox::PatientOutbox& outbox, absl::Time now);

}  // namespace clinicd::follow_up
