#pragma once

// The people and rooms a clinic's history happened with: practitioners who
// work around the clock and give microneedling, a treatment room each, and
// the patients a BookingGrid of that size books, stored as clinicd stores
// them. A cohort of its own per load, so that its history never meets the
// bookings clinic-loadgen makes.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/store/transaction.h"

namespace clinicd::bench {

struct HistoryCohort {
  std::vector<std::string> practitioners;
  // rooms[i] is practitioners[i]'s.
  std::vector<std::string> rooms;
  std::vector<std::string> patients;
};

// Adds `practitioners` practitioners and rooms and BookingGrid::PatientsFor
// (practitioners) sample patients (drawn from `seed`) to clinic `clinic_id`,
// all created at `created`.
absl::Status AddHistoryCohort(store::Transaction& tx, const std::string& clinic_id,
                              int practitioners, uint64_t seed, absl::Time created,
                              HistoryCohort* cohort);

}  // namespace clinicd::bench
