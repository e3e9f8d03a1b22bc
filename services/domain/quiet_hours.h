#pragma once

// A clinic's nightly quiet hours (ClinicPolicy.quiet_hours_start/end, local
// time) during which no message goes to a patient.

#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::domain {

// The first time at or after `t` that is outside the quiet hours of
// `policy` in `zone`. Quiet hours run from start (inclusive) to end
// (exclusive) and may span midnight; with either bound unset, or both equal,
// there are none and `t` is returned.
absl::Time FirstSendableAtOrAfter(const clinic::v1::ClinicPolicy& policy,
                                  const absl::TimeZone& zone, absl::Time t);

// The last time at or before `t` that is outside the quiet hours (a minute
// before they begin): for a reminder that must reach the patient before an
// appointment. Returns `t` when it is not quiet.
absl::Time LastSendableAtOrBefore(const clinic::v1::ClinicPolicy& policy,
                                  const absl::TimeZone& zone, absl::Time t);

}  // namespace clinicd::domain
