#pragma once

// What kind of change an update made to an appointment.

#include "clinic/v1/booking_service.pb.h"

namespace clinicd::domain {

// True when the booking itself changed (time, practitioner, room or
// numbing), not only its state or flags: the booking rules apply again, and
// the change is a reschedule.
bool BookingChanged(const clinic::v1::Appointment& before, const clinic::v1::Appointment& after);

}  // namespace clinicd::domain
