#pragma once

// What a change to an appointment sets in motion, in the transaction that
// stores it: the feed event; the preparation reminders before the visit
// (re-queued when it moves, cancelled when it is cancelled, missed or held);
// the aftercare messages once it is completed; the re-plan of the series it
// belongs to; and the maintenance recall it satisfies or re-opens. Also the
// rules a booking must meet to join a series.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::follow_up {

// The effects of storing `current` (created when `previous` is null) in
// clinic `clinic_id`. Fits ResourceKind::after_write.
absl::Status ApplyAppointmentEffects(store::Transaction& tx,
                                     const plugin_host::TreatmentRegistry& registry,
                                     const std::string& clinic_id, absl::Time now,
                                     const clinic::v1::Appointment* previous,
                                     const clinic::v1::Appointment& current);

}  // namespace clinicd::follow_up
