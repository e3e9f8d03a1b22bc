#pragma once

// The booking rules as CreateAppointment and RescheduleAppointment apply
// them, inside the write transaction that stores the change, so no
// concurrent booking can slip between the check and the insert: the
// context is loaded (booking_context_loader.h) and the one rules function
// (domain/booking_rules.h) decides, the same the slot search asks.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::booking {

// Checks `appointment` (state BOOKED; start, practitioner, room and numbing
// as requested) against every rule for clinic `clinic_id`, course rules
// included, and fills in its end time. `now` is the earliest allowed start;
// `moved` for a reschedule of a booked appointment.
absl::Status CheckBookable(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const std::string& clinic_id, absl::Time now, bool moved,
                           clinic::v1::Appointment& appointment);

// What a rule needs of its clinic: the policy and the time zone.
struct ClinicSettings {
  clinic::v1::ClinicPolicy policy;
  absl::TimeZone zone;
};
absl::StatusOr<ClinicSettings> LoadClinicSettings(store::Transaction& tx,
                                                  const std::string& clinic_id);

// The UPPER_SNAKE name of a state, as errors show it.
std::string StateName(clinic::v1::AppointmentState state);

}  // namespace clinicd::booking
