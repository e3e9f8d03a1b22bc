#pragma once

// How refusals and messages name a time: on the clinic's clock for people
// ("2027-03-01 10:00 CET"), and as RFC 3339 UTC in error metadata for programs.

#include <string>

#include "absl/time/time.h"

namespace clinicd {

// `time` on the clinic's clock, e.g. "2027-03-01 10:00 CET".
inline std::string LocalTimeText(absl::Time time, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, zone);
}

// `time` as RFC 3339 in UTC to the second, e.g. "2027-03-01T09:00:00Z".
inline std::string Rfc3339Text(absl::Time time) {
  return absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone());
}

}  // namespace clinicd
