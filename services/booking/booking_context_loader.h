#pragma once

// Fills a domain::BookingContext from the database in one read: the
// clinic, the people and rooms, what occupies them near the time, and the
// patient's facts (spacing, consultation, clearance, course). The SQL is
// the store's (store/booking_queries.h); this layer picks what to ask for.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "services/domain/booking_context.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/transaction.h"

namespace clinicd::booking {

// One booking's context and the candidate it asks about.
struct LoadedBooking {
  domain::BookingContext context;
  domain::Candidate candidate;
};

// Checks the shape of `appointment` (names in clinic `clinic_id`, a known
// treatment type, a start that is given and not before `now`, a
// consultation without series or numbing), then loads its context: for a
// new booking, or a move of a booked one (`moved`, the appointment itself
// left out of what occupies the calendars).
absl::StatusOr<LoadedBooking> LoadBookingContext(store::Transaction& tx,
                                                 const plugin_host::TreatmentRegistry& registry,
                                                 const std::string& clinic_id, absl::Time now,
                                                 const clinic::v1::Appointment& appointment,
                                                 bool moved);

// What a slot search looks at.
struct SearchScope {
  absl::CivilDay first;  // local days, inclusive
  absl::CivilDay last;
  std::string practitioner_id;  // empty: every active qualified practitioner
  std::string patient;          // resource name; empty: no patient's rules
  std::string series;           // resource name; empty: a session outside a series
  clinic::v1::VisitKind kind = clinic::v1::VISIT_KIND_TREATMENT;
  bool numbing = false;
  // Rules a clinician is expected to override for these slots.
  std::vector<std::string> overrides;
};

// The context for every candidate of a search over `scope`'s days:
// practitioners and rooms that could take the visit, and only their busy
// time inside the days.
absl::StatusOr<domain::BookingContext> LoadSearchContext(
    store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
    const std::string& clinic_id, absl::Time now, const clinic::v1::TreatmentType& type,
    const SearchScope& scope);

}  // namespace clinicd::booking
