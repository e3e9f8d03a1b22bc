#pragma once

// Free slots: every start on a grid inside a practitioner's working hours
// that the booking rules (booking_rules.h) accept with one of the context's
// rooms. The search asks the same Decide a booking asks, so it offers
// nothing a booking would refuse. Pure: the caller loads the context.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/domain/booking_context.h"

namespace clinicd::domain {

// Where to look, beyond what the context holds.
struct SlotQuery {
  // Slots start on this grid from the start of each working interval.
  absl::Duration step = absl::Minutes(15);
  // No slot starts before this (a bound the caller knows, such as the
  // patient's earliest eligible time; the rules refuse earlier starts anyway).
  absl::Time not_before = absl::InfinitePast();
  // Resume strictly after this (start, practitioner name) key.
  absl::Time after_start = absl::InfinitePast();
  std::string after_practitioner;
};

// A bookable slot.
struct FreeSlot {
  absl::Time start;
  absl::Time end;
  std::string practitioner;
  std::string room;
};

// Up to `limit` slots by start time, then practitioner name; for each start
// and practitioner the first room (in the context's order) the rules accept.
// Stops as soon as it has `limit`: candidates are visited in that order.
std::vector<FreeSlot> FindFreeSlots(const BookingContext& context, const SlotQuery& query,
                                    size_t limit);

// The earliest time at or after `from` the patient's spacing and screening
// allow a treatment session (InfiniteFuture when screening blocks with no
// end in sight); `from` without a patient or for a consultation. Every
// earlier time is refused by the rules, so a search may start there.
absl::Time EarliestEligible(const BookingContext& context, absl::Time from);

}  // namespace clinicd::domain
