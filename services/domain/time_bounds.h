#pragma once

// How long the things that occupy time may be. Validation holds every
// appointment and period to these, so a query for what overlaps [start,
// end) need only look back this far: it reads a short index range instead
// of a practitioner's, room's or clinic's whole history.

#include "absl/time/time.h"

namespace clinicd::domain {

// Each phase of a treatment (consultation, numbing, procedure, turnaround),
// and a consultation visit, is at most this long (protocol validation).
inline constexpr absl::Duration kLongestPhase = absl::Hours(4);

// The longest an appointment may hold its practitioner or room, turnaround
// included: all four phases at their longest.
inline constexpr absl::Duration kLongestVisit = absl::Hours(4 * 4);

// The longest one time off or closure may be (a longer absence is recorded
// as several).
inline constexpr absl::Duration kLongestPeriod = absl::Hours(24 * 366);

}  // namespace clinicd::domain
