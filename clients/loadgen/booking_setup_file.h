#pragma once

// A booking set-up as a file: the clinic clinic-loadgen's booking scenarios
// work in, its practitioners, rooms and patients in BookingGrid order. The
// load generator writes and reads it; tests/benchmarks' history loader reads
// it to give those same people a past.

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "clients/loadgen/booking_grid.h"

namespace clinicd::loadgen {

// The clinic a booking run works in, its lists in grid order.
struct BookingSetup {
  std::string clinic;
  // The first day of session slots, after every consultation.
  absl::CivilDay first_session_day;
  std::vector<std::string> practitioners;
  // rooms[i] is practitioner i's.
  std::vector<std::string> rooms;
  std::vector<std::string> patients;

  // The grid this set-up was made on (Europe/Berlin).
  BookingGrid Grid() const;
};

// Europe/Berlin, the zone of the clinics the load generator makes.
absl::TimeZone Berlin();

// Writes `setup` to `path` as lines "clinic NAME", "first_session_day
// YYYY-MM-DD", "practitioner NAME", "room NAME", "patient NAME".
grpc::Status SaveBookingSetup(const BookingSetup& setup, const std::string& path);

// Reads what SaveBookingSetup wrote.
grpc::Status LoadBookingSetup(const std::string& path, BookingSetup* setup);

}  // namespace clinicd::loadgen
