#pragma once

// Times as the front desk reads and types them: on the clinic's wall clock
// (its IANA time zone), never in UTC. A local day is 23 or 25 hours long when
// the clocks change; a local time the clocks skip is refused, and one they
// repeat needs its UTC offset.

#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"

namespace clinicd::clinicctl {

// The IANA zone `name`, or INVALID_ARGUMENT when tzdata does not know it.
absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name);

absl::Time FromProto(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToProto(absl::Time time);
google::type::Date ToProtoDate(absl::CivilDay day);

// "Mon 2027-03-15 10:00 CET".
std::string FormatDateTime(absl::Time time, const absl::TimeZone& zone);

// `text` with every timestamp that names its offset (RFC 3339 such as
// "2027-01-05T06:00:00Z" or "2027-01-05T07:00+01:00", or "2027-01-05 06:00
// UTC") written as FormatDateTime does in `zone`: what clinicd says in UTC,
// on the clinic's clock. Local times without an offset are left as they are.
std::string LocalizeTimes(absl::string_view text, const absl::TimeZone& zone);

// "Mon 2027-03-15".
std::string FormatDay(absl::CivilDay day);

// The local date of `time`: "Mon 2027-03-15".
std::string FormatDate(absl::Time time, const absl::TimeZone& zone);

// "10:00", or "02:30 CEST" with `with_zone` (for days the clocks change).
std::string FormatClock(absl::Time time, const absl::TimeZone& zone, bool with_zone = false);

// "10:00-11:15" ("10:00-11:15 CET" with `with_zone`, "01:30 CET-03:30 CEST"
// across a change); the end carries its date when it falls on a later day.
std::string FormatSpan(absl::Time start, absl::Time end, const absl::TimeZone& zone,
                       bool with_zone = false);

// The instants a local day runs between, [start, end).
struct DayBounds {
  absl::Time start;
  absl::Time end;
};

// Local midnight to the next local midnight of `day`: 23 hours on the day
// the clocks go forward, 25 on the day they go back.
DayBounds BoundsOf(absl::CivilDay day, const absl::TimeZone& zone);

// True when the clocks change during `day` (it is not 24 hours long).
bool ClocksChangeOn(absl::CivilDay day, const absl::TimeZone& zone);

// A local date: YYYY-MM-DD, `today`, `tomorrow`, or +N (N days from today),
// today being the date of `now` in `zone`.
absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text, const absl::TimeZone& zone,
                                              absl::Time now);

// A local time: "DATE HH:MM" (DATE as ParseLocalDate takes it; `T` may join
// them, seconds are optional), or with a UTC offset ("2027-10-31T02:30+02:00",
// or Z). INVALID_ARGUMENT, saying what the clocks do, for a local time that
// does not exist or (without an offset) exists twice.
absl::StatusOr<absl::Time> ParseLocalTime(absl::string_view text, const absl::TimeZone& zone,
                                          absl::Time now);

}  // namespace clinicd::clinicctl
