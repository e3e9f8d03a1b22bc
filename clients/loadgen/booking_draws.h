#pragma once

// The requests the booking scenarios send: the booking of grid slot k, and
// a week of one practitioner's slots for one patient.

#include <cstdint>

#include "clients/loadgen/booking_setup.h"
#include "clinic/v1/booking_service.pb.h"

namespace clinicd::loadgen {

// Session slot `slot`, counting from the first session day of `setup`, as a
// treatment appointment; distinct slots never overlap or crowd a patient.
clinic::v1::Appointment GridBooking(const BookingSetup& setup, const BookingGrid& grid,
                                    int64_t slot);

// SearchAvailability for practitioner `practitioner`'s week starting
// `first_day`, with patient `patient`'s rules.
clinic::v1::SearchAvailabilityRequest WeekSearch(const BookingSetup& setup, size_t practitioner,
                                                 size_t patient, absl::CivilDay first_day);

}  // namespace clinicd::loadgen
