#pragma once

// Spacing between a patient's treatment sessions of one type: the shortest
// spacing any of the treatment's indications allows (no course runs faster).

#include <vector>

#include "absl/time/time.h"
#include "clinic/v1/treatment.pb.h"

namespace clinicd::domain {

// The earliest start at or after `wanted` that keeps the minimum spacing
// from every one of `sessions` (sorted), or `wanted` itself.
absl::Time EarliestSpaced(const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<absl::Time>& sessions, absl::Time wanted);

// At least the longest the minimum spacing can be as an exact duration
// (months counted as 31 days, days as 25 hours, and two hours more for
// clock changes): a
// session further than this from a time cannot conflict with it, which
// bounds the sessions a booking needs to load.
absl::Duration SpacingReach(const clinic::v1::TreatmentType& type);

}  // namespace clinicd::domain
