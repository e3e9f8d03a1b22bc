#pragma once

// Conversions between protobuf's well-known time types and absl's, at
// microsecond precision (what the database stores).

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "absl/time/time.h"

namespace clinicd {

// A Timestamp as an absl::Time.
inline absl::Time FromProtoTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(time));
}

// An absl::Time as a Timestamp.
inline google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// A Duration as an absl::Duration.
inline absl::Duration FromProtoDuration(const google::protobuf::Duration& duration) {
  return absl::Microseconds(google::protobuf::util::TimeUtil::DurationToMicroseconds(duration));
}

// Microseconds since the Unix epoch of a Timestamp (the database's form).
inline int64_t ProtoTimeMicros(const google::protobuf::Timestamp& time) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(time);
}

}  // namespace clinicd
