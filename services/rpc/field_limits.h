#pragma once

// The one table of size limits for what clients send: every string and bytes
// field of the API, by field name (a name means the same thing in every
// message: `reason` is always a short free-text reason), and how many
// elements a repeated field may hold. RpcGuard checks each request against
// it before the handler runs; tests/rpc/field_limits_test.cc walks the
// schema so that a new field without a limit fails the build's tests. The
// README's "Limits" table lists the same figures.

#include <google/protobuf/message.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clinicd::rpc {

// One row of the table.
struct FieldLimit {
  absl::string_view field_name;
  // Bytes of UTF-8 text (or raw bytes) one value may have.
  size_t max_bytes;
};

// The table, for documentation and the schema test.
const std::vector<FieldLimit>& FieldLimits();

// The limit of a string or bytes field called `field_name`, if the table has one.
std::optional<size_t> MaxBytesOf(absl::string_view field_name);

// How many elements any repeated field of a request may hold.
inline constexpr int kMaxRepeatedElements = 500;

// INVALID_ARGUMENT naming every field of `request` (a dotted path such as
// `appointment.rule_override.justification`) that is longer than its limit,
// a repeated field with too many elements, or a Timestamp or Duration
// outside what protobuf allows; OK otherwise. A field missing
// from the table is held to the smallest limit, so forgetting one fails
// closed (and the schema test fails).
absl::Status CheckFieldLimits(const google::protobuf::Message& request);

}  // namespace clinicd::rpc
