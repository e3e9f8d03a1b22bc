#pragma once

// Time on a clinic's calendar: weekly working hours become absolute
// intervals for real days in the clinic's IANA time zone, correct across
// DST changes (a 09:00-17:00 shift stays 09:00-17:00 local on the day the
// clocks move).

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::domain {

// A half-open interval [start, end) of absolute time.
struct Interval {
  absl::Time start;
  absl::Time end;
};

// True when the intervals share any instant.
inline bool Overlaps(const Interval& a, const Interval& b) {
  return a.start < b.end && b.start < a.end;
}

// True when `inner` lies within `outer`.
inline bool Contains(const Interval& outer, const Interval& inner) {
  return outer.start <= inner.start && inner.end <= outer.end;
}

// The instant a local civil time names in `zone`: the first occurrence of a
// repeated time, and for a time skipped by a DST gap the instant the gap ends.
absl::Time ResolveLocal(const absl::CivilSecond& local, const absl::TimeZone& zone);

// The practitioner's working intervals on the local days [first, last],
// sorted by start, touching intervals merged into one.
std::vector<Interval> WorkingIntervals(const clinic::v1::Practitioner& practitioner,
                                       const absl::TimeZone& zone, absl::CivilDay first,
                                       absl::CivilDay last);

// The time zone of a stored clinic (validated when it was written, so a
// failure here is INTERNAL: the tz database changed under us).
absl::StatusOr<absl::TimeZone> ClinicTimeZone(const clinic::v1::Clinic& clinic);

// The google.type.DayOfWeek number (MONDAY = 1 ... SUNDAY = 7) of `day`.
int DayOfWeekNumber(absl::CivilDay day);

}  // namespace clinicd::domain
