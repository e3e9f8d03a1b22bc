#pragma once

// Conversions between protobuf's well-known time types and absl's, at
// microsecond precision (what the database stores). They never CHECK: a
// client's Timestamp or Duration outside protobuf's range converts without
// crashing (saturating far out), and CheckTimestamp/CheckDuration tell the
// edge to refuse it.

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/time/time.h"

namespace clinicd {

// A Timestamp as an absl::Time, truncated to the microsecond.
inline absl::Time FromProtoTime(const google::protobuf::Timestamp& time) {
  const absl::Time exact = absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
  return absl::FromUnixMicros(absl::ToUnixMicros(exact));
}

// An absl::Time as a Timestamp, to the microsecond.
inline google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest * 1000));
  return out;
}

// A Duration as an absl::Duration, truncated to the microsecond.
inline absl::Duration FromProtoDuration(const google::protobuf::Duration& duration) {
  const absl::Duration exact =
      absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
  return absl::Trunc(exact, absl::Microseconds(1));
}

// Microseconds since the Unix epoch of a Timestamp (the database's form).
inline int64_t ProtoTimeMicros(const google::protobuf::Timestamp& time) {
  return absl::ToUnixMicros(FromProtoTime(time));
}

// True when `time` is a Timestamp protobuf allows: 0001-01-01 to 9999-12-31
// UTC, nanos from 0 to 999,999,999.
inline bool IsValidTimestamp(const google::protobuf::Timestamp& time) {
  return time.seconds() >= -62135596800LL && time.seconds() <= 253402300799LL &&
         time.nanos() >= 0 && time.nanos() <= 999999999;
}

// True when `duration` is a Duration protobuf allows: at most 10,000 years
// either way, nanos of the seconds' sign.
inline bool IsValidDuration(const google::protobuf::Duration& duration) {
  const int64_t s = duration.seconds();
  const int32_t n = duration.nanos();
  return s >= -315576000000LL && s <= 315576000000LL && n >= -999999999 && n <= 999999999 &&
         !(s > 0 && n < 0) && !(s < 0 && n > 0);
}

}  // namespace clinicd
