#pragma once

// What commands print besides tables: clinicd's messages as JSON for
// scripts, enum values as words, dates of birth.

#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "google/type/date.pb.h"

namespace clinicd::clinicctl {

// `message` in protobuf's JSON mapping (field names in lowerCamelCase, every
// field present, enums by name), indented, then a newline.
absl::Status PrintJson(const google::protobuf::Message& message, std::ostream& out);

// One JSON object whose members are the given messages, e.g.
// {"clearance": {...}, "consents": {...}}, for commands that make more than
// one call.
absl::Status PrintJsonObject(
    const std::vector<std::pair<std::string, const google::protobuf::Message*>>& members,
    std::ostream& out);

// The value's name without its enum's prefix, in lower case with spaces:
// APPOINTMENT_STATE_CHECKED_IN is "checked in".
std::string EnumWord(const google::protobuf::EnumDescriptor* type, int value);

template <typename Enum>
std::string Word(Enum value) {
  return EnumWord(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// `text` as one word for a POSIX shell: as it is when safe, else in single quotes.
std::string ShellWord(const std::string& text);

// "1990-01-02", or "" when unset.
std::string FormatBirthDate(const google::type::Date& date);

}  // namespace clinicd::clinicctl
