#pragma once

// Instants on a Berlin clinic's calendar, and readable forms of them, for
// the plugin rule tests. Berlin is CET (UTC+1) in winter and CEST (UTC+2) in
// summer; in 2027 the clocks jump 02:00 -> 03:00 on 28 March and fall back
// 03:00 -> 02:00 on 31 October.

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <cstdlib>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clinicd::plugins::test_time {

inline constexpr char kBerlin[] = "Europe/Berlin";

// The Europe/Berlin zone; aborts when tzdata is missing.
inline const absl::TimeZone& Berlin() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    if (!absl::LoadTimeZone(kBerlin, &loaded)) std::abort();
    return loaded;
  }();
  return zone;
}

// A Berlin wall-clock time that exists exactly once.
inline absl::Time BerlinTime(int year, int month, int day, int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second), Berlin());
}

// A UTC time.
inline absl::Time UtcTime(int year, int month, int day, int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

// `time` in Berlin, e.g. "2027-03-15 10:00:00 CET".
inline std::string InBerlin(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", time, Berlin());
}

// `time` in UTC, e.g. "2027-03-15 09:00:00 UTC".
inline std::string InUtc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone());
}

// `hour`:`minute` local time in Berlin on `day`.
inline absl::Time At(absl::CivilDay day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour, minute, 0),
                         Berlin());
}

// The first Monday, in Berlin, at least `days` days from now.
inline absl::CivilDay MondayAtLeastDaysAhead(int days) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), Berlin()) + days;
  while (absl::GetWeekday(day) != absl::Weekday::monday) ++day;
  return day;
}

// The instant an RFC 3339 value (e.g. error metadata) names; InfinitePast
// when it does not parse, so a comparison fails loudly.
inline absl::Time ParseRfc3339(const std::string& text) {
  absl::Time time;
  std::string error;
  return absl::ParseTime(absl::RFC3339_full, text, &time, &error) ? time : absl::InfinitePast();
}

inline google::protobuf::Timestamp ToProto(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

inline absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(timestamp));
}

// `timestamp` in Berlin, for readable assertions on responses.
inline std::string InBerlin(const google::protobuf::Timestamp& timestamp) {
  return InBerlin(FromProto(timestamp));
}

// `timestamp` in UTC.
inline std::string InUtc(const google::protobuf::Timestamp& timestamp) {
  return InUtc(FromProto(timestamp));
}

}  // namespace clinicd::plugins::test_time
