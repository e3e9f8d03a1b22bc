#pragma once

// A clinic's nightly quiet hours (ClinicPolicy.quiet_hours_start/end, local
// time) during which no message goes to a patient.

#include <optional>

#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"
#include "clinic/v1/treatment.pb.h"

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

// Which way a message due inside quiet hours moves.
enum class QuietHoursShift {
  // To the last minute before the quiet hours begin (the evening before).
  kEarlier,
  // To when they end (the next morning).
  kLater,
};

// The direction a protocol declares for a message, or `kind_default` when it
// declares none (QUIET_HOURS_SHIFT_UNSPECIFIED, or a value this build does
// not know).
QuietHoursShift ShiftFor(clinic::v1::QuietHoursShift declared, QuietHoursShift kind_default);

// When a patient message is meant to arrive and how far it may move.
struct MessageTiming {
  // The time the protocol asks for, before quiet hours.
  absl::Time due;
  QuietHoursShift shift = QuietHoursShift::kLater;
  // When set, it never goes before this time (besides never before now),
  // e.g. the session that an aftercare message describes.
  std::optional<absl::Time> not_before;
  // When set, it is useless from this time on (the appointment it prepares
  // for): it never goes at or after it.
  std::optional<absl::Time> deadline;
};

// How long after its due time a message without a deadline is still worth
// sending; older ones are dropped as stale advice.
inline constexpr absl::Duration kStaleAfter = absl::Hours(24);

// When a message with `timing` goes out if it is queued at `now`, or nullopt
// when it is dropped. Every time is on the clinic's calendar (`zone`), so
// quiet hours keep their local bounds across midnight and DST changes.
//  - Dropped: `now` (or `not_before`) at or past the deadline; without a
//    deadline, due more than kStaleAfter before `now`.
//  - The target is `due`, raised to the floor max(now, not_before) (so an
//    overdue message goes now) and, with a deadline, lowered to a minute
//    before it.
//  - A target outside quiet hours is kept. Inside them, kEarlier moves it to
//    the last minute before they began, or to the floor when that is later
//    but still before they began; when the floor is itself inside those
//    quiet hours it moves to their end instead. kLater moves it to their end.
//  - With a deadline, a time at or after it is replaced by the earlier move;
//    when no sendable time lies between floor and deadline, the message goes
//    at the floor (now), inside quiet hours: a preparation message that
//    arrives late is useless and one dropped leaves the patient unprepared.
std::optional<absl::Time> PlaceMessage(const clinic::v1::ClinicPolicy& policy,
                                       const absl::TimeZone& zone, const MessageTiming& timing,
                                       absl::Time now);

}  // namespace clinicd::domain
