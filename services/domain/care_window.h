#pragma once

// When care may be recorded for a session: check-in opens a clinic-chosen
// lead before the start (default 60 minutes) and closes when the session
// ends; completion needs the session to have started. Each refusal is
// FAILED_PRECONDITION with a reason (TOO_EARLY, TOO_LATE) and, when waiting
// helps, the earliest time (`earliest_time`) in its metadata.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::domain {

// Check-in opens this long before a session's start when a clinic sets none.
inline constexpr absl::Duration kDefaultCheckInLead = absl::Minutes(60);

// How far ahead a clinic takes bookings when it sets no horizon.
inline constexpr absl::Duration kDefaultBookingHorizon = absl::Hours(24 * 730);

// The clinic's booking horizon (ClinicPolicy.booking_horizon), or the default.
absl::Duration BookingHorizon(const clinic::v1::ClinicPolicy& policy);

// The clinic's check-in lead, or the default.
absl::Duration CheckInLead(const clinic::v1::ClinicPolicy& policy);

// OK when a session from `start` to `end` may be checked in at `now`.
absl::Status CheckInWindow(const clinic::v1::ClinicPolicy& policy, const absl::TimeZone& zone,
                           absl::Time start, absl::Time end, absl::Time now);

// OK when a session that starts at `start` may be completed at `now`.
absl::Status CompletionWindow(const absl::TimeZone& zone, absl::Time start, absl::Time now);

}  // namespace clinicd::domain
