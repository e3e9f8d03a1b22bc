#pragma once

// Small field rules shared by the resource validators. Each adds a violation
// under the given field path to `violations` when the rule is broken.

#include <google/protobuf/timestamp.pb.h>

#include <string>
#include "absl/strings/string_view.h"

#include "google/type/timeofday.pb.h"
#include "services/common/errors.h"

namespace clinicd::domain {

// `value` must not be empty and must be at most `max_chars` characters.
void RequireText(FieldViolations& violations, const std::string& field,
                 absl::string_view value, size_t max_chars);

// `value` may be empty but must be at most `max_chars` characters.
void LimitText(FieldViolations& violations, const std::string& field,
               absl::string_view value, size_t max_chars);

// A time of day from 00:00 to 23:59 with no seconds.
void CheckTimeOfDay(FieldViolations& violations, const std::string& field,
                    const google::type::TimeOfDay& time);

// Minutes since midnight of a time of day.
int MinutesOf(const google::type::TimeOfDay& time);

// A set, in-range timestamp.
void RequireTimestamp(FieldViolations& violations, const std::string& field,
                      bool has_value, const google::protobuf::Timestamp& time);

// Replaces a phone number by its E.164 form, or records why it is invalid.
void NormalizePhone(FieldViolations& violations, const std::string& field,
                    absl::string_view region, std::string& phone);

// Records an invalid e-mail address (empty is allowed).
void CheckOptionalEmail(FieldViolations& violations, const std::string& field,
                        absl::string_view email);

}  // namespace clinicd::domain
