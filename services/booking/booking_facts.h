#pragma once

// The parts of a booking context the loader (booking_context_loader.h)
// fills for bookings and searches alike.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/domain/booking_context.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/booking_queries.h"
#include "services/store/transaction.h"

namespace clinicd::booking {

// Puts `practitioners` (working hours over the local days [first, last])
// and `rooms` into `context` with what occupies them inside `window`, and
// the clinic's closures there.
absl::Status LoadCalendars(store::Transaction& tx, const std::string& clinic_id,
                           std::vector<clinic::v1::Practitioner> practitioners,
                           std::vector<clinic::v1::Room> rooms, absl::CivilDay first,
                           absl::CivilDay last, const store::BookingWindow& window,
                           domain::BookingContext& context);

// Loads patient `patient` (a resource name; NOT_FOUND when absent): their
// appointments inside `window` and, for a treatment, what spacing,
// consultation first, clearance (evaluated for `first_time`) and
// maintenance need.
absl::Status LoadPatientFacts(store::Transaction& tx,
                              const plugin_host::TreatmentRegistry& registry,
                              const std::string& clinic_id, const std::string& patient,
                              const store::BookingWindow& window, absl::Time first_time,
                              domain::BookingContext& context);

// Loads series `series` (a resource name) for a session of `patient`: its
// sessions taken and the windows a session inside `window` can fall in.
// What makes the series unusable is kept in the facts, to be refused in
// the rules' order.
absl::Status LoadSeriesFacts(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                             const std::string& clinic_id, const std::string& series,
                             const std::string& patient, const store::BookingWindow& window,
                             domain::BookingContext& context);

}  // namespace clinicd::booking
