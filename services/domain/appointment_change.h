#pragma once

// What kind of change an update made to an appointment, and what a
// clinician decided for it.

#include "absl/strings/string_view.h"
#include "clinic/v1/booking_service.pb.h"

namespace clinicd::domain {

// True when the booking itself changed (time, practitioner, room or
// numbing), not only its state or flags: the booking rules apply again, and
// the change is a reschedule.
bool BookingChanged(const clinic::v1::Appointment& before, const clinic::v1::Appointment& after);

// The soft rules of a protocol a clinician may book past, with a reason
// (RuleOverride): spacing, series windows, repeat courses, maintenance.
inline constexpr absl::string_view kOverridableRules[] = {
    "SERIES_SPACING", "SERIES_WINDOW_CLOSED", "REPEAT_COURSE_TOO_SOON", "MAINTENANCE_TOO_SOON"};

// True when `appointment` carries a clinician's override of refusal `reason`.
bool Overrides(const clinic::v1::Appointment& appointment, absl::string_view reason);

}  // namespace clinicd::domain
