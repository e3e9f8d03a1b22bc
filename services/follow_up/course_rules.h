#pragma once

// The protocol's course rules for a booking, checked in the transaction that
// stores it (after booking_rules.h's checks of time, people and rooms):
// - a session of a series must be this clinic's series for the same patient
//   and treatment, still open and with a session left, and fall inside its
//   session's window: not before it opens (SERIES_SPACING) nor after it
//   closes (SERIES_WINDOW_CLOSED);
// - the first session of a new course comes no sooner than the protocol's
//   repeat-course interval after the last session of the previous completed
//   course (REPEAT_COURSE_TOO_SOON);
// - a maintenance visit (a session outside any series while a maintenance
//   recall is open) comes no sooner than the recall is due
//   (MAINTENANCE_TOO_SOON).
// Each refusal is FAILED_PRECONDITION with `earliest_time` in its metadata
// when a later time would do. These are soft rules: a clinician may book
// past them with a reason (Appointment.rule_override).

#include <string>

#include "absl/status/status.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::follow_up {

// Checks `appointment` of clinic `clinic_id` on booking, and on every move
// (`moved`: a booked session of a series closed since may still move).
absl::Status CheckCourseRules(store::Transaction& tx,
                              const plugin_host::TreatmentRegistry& registry,
                              const std::string& clinic_id,
                              const clinic::v1::Appointment& appointment, bool moved = false);

}  // namespace clinicd::follow_up
