#pragma once

// The load scenarios: which calls each client thread makes back-to-back, and
// the clinic and patients they make them against.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/loadgen/booking_setup.h"
#include "clients/loadgen/call_stats.h"
#include "clients/loadgen/clinic_client.h"
#include "clinic/v1/patient_service.pb.h"

namespace clinicd::loadgen {

// What the client threads do.
enum class Scenario {
  // CreatePatient with a fresh request_id each time.
  kCreatePatients,
  // SearchPatients (page of 20) for a random preloaded patient: three in ten
  // by phone number in national form (when the patient has one), the rest by
  // a name prefix.
  kSearchPatients,
  // GetPatient of a random preloaded patient.
  kGetPatient,
  // A front desk's day: 50% search, 30% get, 10% list (scrolling pages of
  // 50), 10% create.
  kMixed,
  // CreateAppointment of the next free grid slot of a booking set-up
  // (--setup_file), each call a distinct slot; a refusal is an error.
  kBook,
  // SearchAvailability of a random practitioner's week in the set-up's first
  // year of sessions, for a random patient of the set-up.
  kSearchAvailability,
  // GetClinic of the run's clinic.
  kGetClinic,
};

// The scenario called `name` (e.g. "get_patient"), if any.
std::optional<Scenario> ParseScenario(absl::string_view name);

// The flag spelling of `scenario`.
const char* ScenarioName(Scenario scenario);

// True when the scenario reads patients that must exist first.
bool NeedsPatients(Scenario scenario);

// True when the scenario works in a booking set-up (--setup_file).
bool NeedsBookingSetup(Scenario scenario);

// The clinic a run works in and the patients known to exist in it.
struct Dataset {
  std::string clinic;
  std::vector<clinic::v1::Patient> patients;
  // For the booking scenarios: the set-up and its grid.
  const BookingSetup* booking = nullptr;
  const BookingGrid* grid = nullptr;
  // The next grid slot to book, shared by the threads of a book run.
  std::atomic<int64_t>* next_slot = nullptr;
};

// Runs `scenario` with `client` until `deadline`, one call after another;
// `seed` varies the choices per thread.
ThreadStats RunClient(Scenario scenario, ClinicClient& client, const Dataset& dataset,
                      absl::Time deadline, uint64_t seed);

// Creates `count` sample patients in `clinic` through `client`, appending
// what the server returned to `created`; stops at the first failure.
grpc::Status Preload(ClinicClient& client, const std::string& clinic, int count, uint64_t seed,
                     std::vector<clinic::v1::Patient>* created);

}  // namespace clinicd::loadgen
