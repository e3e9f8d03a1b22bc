#pragma once

// A clinic where every booking the load generator makes is one the rules
// allow: practitioners working around the clock, a treatment room each,
// patients cleared for microneedling (consent signed, screening answered)
// with a consultation booked before their first session, all placed on a
// BookingGrid. Made once through the API and written to a file
// (booking_setup_file.h) that later runs read back.

#include <vector>

#include "clients/loadgen/booking_setup_file.h"
#include "clients/loadgen/clinic_client.h"

namespace clinicd::loadgen {

constexpr char kMicroneedling[] = "treatmentTypes/microneedling";

// Creates the clinic, `practitioners` practitioners and rooms and the
// patients their grid needs, spreading the patients over `clients` (one
// thread each); `seed` varies the sample patients. Stops at the first
// failure, saying what failed.
grpc::Status CreateBookingSetup(const std::vector<ClinicClient*>& clients, int practitioners,
                                uint64_t seed, BookingSetup* setup);

}  // namespace clinicd::loadgen
