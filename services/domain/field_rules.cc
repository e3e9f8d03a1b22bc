#include "services/domain/field_rules.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/domain/contact_validation.h"

namespace clinicd::domain {
namespace {

// Characters, not bytes: names are UTF-8.
size_t Utf8Length(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

void RequireText(FieldViolations& violations, const std::string& field,
                 absl::string_view value, size_t max_chars) {
  if (value.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    violations.Add(field, "is required");
    return;
  }
  LimitText(violations, field, value, max_chars);
}

void LimitText(FieldViolations& violations, const std::string& field,
               absl::string_view value, size_t max_chars) {
  if (Utf8Length(value) > max_chars) {
    violations.Add(field, absl::StrCat("must be at most ", max_chars, " characters"));
  }
}

void CheckTimeOfDay(FieldViolations& violations, const std::string& field,
                    const google::type::TimeOfDay& time) {
  if (time.hours() < 0 || time.hours() > 23 || time.minutes() < 0 ||
      time.minutes() > 59 || time.seconds() != 0 || time.nanos() != 0) {
    violations.Add(field, "must be a time of day from 00:00 to 23:59 in whole minutes");
  }
}

int MinutesOf(const google::type::TimeOfDay& time) {
  return time.hours() * 60 + time.minutes();
}

void RequireTimestamp(FieldViolations& violations, const std::string& field,
                      bool has_value, const google::protobuf::Timestamp& time) {
  if (!has_value) {
    violations.Add(field, "is required");
  } else if (time.seconds() <= 0 ||
             time.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds ||
             time.nanos() < 0 || time.nanos() > 999999999) {
    violations.Add(field, "must be a valid time after 1970-01-01");
  }
}

void NormalizePhone(FieldViolations& violations, const std::string& field,
                    absl::string_view region, std::string& phone) {
  if (phone.empty()) return;
  absl::StatusOr<std::string> e164 = NormalizePhoneNumber(phone, region);
  if (!e164.ok()) {
    violations.AddIfError(field, e164.status());
  } else {
    phone = *e164;
  }
}

void CheckOptionalEmail(FieldViolations& violations, const std::string& field,
                        absl::string_view email) {
  if (!email.empty()) violations.AddIfError(field, CheckEmailAddress(email));
}

}  // namespace clinicd::domain
