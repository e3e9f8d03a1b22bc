#include "services/domain/practice_validation.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/domain/time_bounds.h"
#include "absl/time/time.h"
#include "services/common/resource_name.h"
#include "services/domain/contact_validation.h"
#include "services/domain/field_rules.h"
#include "services/domain/time_zone_validation.h"

namespace clinicd::domain {
namespace {

constexpr size_t kMaxNameChars = 200;

bool IsLowerSnakeCase(absl::string_view text) {
  if (text.empty() || text.size() > 64 || !(text[0] >= 'a' && text[0] <= 'z')) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void CheckWorkingHours(FieldViolations& violations, const std::string& prefix,
                       const clinic::v1::Practitioner& practitioner) {
  // (day, start, end, index) so overlaps are found after sorting.
  std::vector<std::tuple<int, int, int, int>> intervals;
  for (int i = 0; i < practitioner.working_hours_size(); ++i) {
    const auto& interval = practitioner.working_hours(i);
    const std::string field = absl::StrCat(prefix, ".working_hours[", i, "]");
    if (interval.day() < google::type::MONDAY || interval.day() > google::type::SUNDAY) {
      violations.Add(field + ".day", "must be a day of the week (MONDAY..SUNDAY)");
      continue;
    }
    FieldViolations times;
    CheckTimeOfDay(times, field + ".start_time", interval.start_time());
    CheckTimeOfDay(times, field + ".end_time", interval.end_time());
    if (!times.empty()) {
      CheckTimeOfDay(violations, field + ".start_time", interval.start_time());
      CheckTimeOfDay(violations, field + ".end_time", interval.end_time());
      continue;
    }
    const int start = MinutesOf(interval.start_time());
    const int end = MinutesOf(interval.end_time());
    if (end <= start) {
      violations.Add(field + ".end_time", "must be after start_time");
      continue;
    }
    intervals.emplace_back(interval.day(), start, end, i);
  }
  // Sorted by day and start, an interval overlaps an earlier one exactly
  // when it starts before the latest end seen so far that day.
  std::sort(intervals.begin(), intervals.end());
  int latest_end = 0;
  int latest_index = -1;
  for (size_t i = 0; i < intervals.size(); ++i) {
    const auto& [day, start, end, index] = intervals[i];
    if (i == 0 || std::get<0>(intervals[i - 1]) != day) latest_index = -1;
    if (latest_index >= 0 && start < latest_end) {
      violations.Add(absl::StrCat(prefix, ".working_hours[", index, "]"),
                     absl::StrCat("overlaps working_hours[", latest_index,
                                  "] on the same day"));
    }
    if (latest_index < 0 || end > latest_end) {
      latest_end = end;
      latest_index = index;
    }
  }
}

}  // namespace

absl::Status ValidateClinic(const std::string& prefix, clinic::v1::Clinic& clinic) {
  FieldViolations violations;
  RequireText(violations, prefix + ".display_name", clinic.display_name(), kMaxNameChars);
  violations.AddIfError(prefix + ".time_zone", LoadIanaTimeZone(clinic.time_zone()).status());
  const absl::Status region = CheckRegionCode(clinic.region_code());
  violations.AddIfError(prefix + ".region_code", region);
  if (clinic.address_lines_size() > 6) {
    violations.Add(prefix + ".address_lines", "must have at most 6 lines");
  }
  for (int i = 0; i < clinic.address_lines_size(); ++i) {
    LimitText(violations, absl::StrCat(prefix, ".address_lines[", i, "]"),
              clinic.address_lines(i), kMaxNameChars);
  }
  if (region.ok()) {
    NormalizePhone(violations, prefix + ".phone_number", clinic.region_code(),
                   *clinic.mutable_phone_number());
  }
  CheckOptionalEmail(violations, prefix + ".email", clinic.email());
  const auto& policy = clinic.policy();
  if (policy.has_quiet_hours_start() != policy.has_quiet_hours_end()) {
    violations.Add(prefix + ".policy.quiet_hours_end",
                   "quiet_hours_start and quiet_hours_end must be set together");
  } else if (policy.has_quiet_hours_start()) {
    CheckTimeOfDay(violations, prefix + ".policy.quiet_hours_start",
                   policy.quiet_hours_start());
    CheckTimeOfDay(violations, prefix + ".policy.quiet_hours_end",
                   policy.quiet_hours_end());
  }
  if (policy.has_booking_horizon()) {
    const auto& horizon = policy.booking_horizon();
    if (horizon.seconds() < 24 * 3600 || horizon.seconds() > 5 * 366 * 24 * 3600 ||
        horizon.nanos() != 0) {
      violations.Add(prefix + ".policy.booking_horizon", "must be from 1 day to 5 years");
    }
  }
  if (policy.has_check_in_lead()) {
    const auto& lead = policy.check_in_lead();
    if (lead.seconds() < 0 || lead.nanos() < 0 || lead.seconds() > 24 * 3600 ||
        (lead.seconds() == 24 * 3600 && lead.nanos() > 0)) {
      violations.Add(prefix + ".policy.check_in_lead", "must be from 0 to 24 hours");
    }
  }
  return violations.ToStatus();
}

absl::Status ValidatePractitioner(const std::string& prefix,
                                  const clinic::v1::Clinic& clinic,
                                  clinic::v1::Practitioner& practitioner) {
  FieldViolations violations;
  RequireText(violations, prefix + ".display_name", practitioner.display_name(),
              kMaxNameChars);
  LimitText(violations, prefix + ".title", practitioner.title(), 100);
  CheckOptionalEmail(violations, prefix + ".email", practitioner.email());
  NormalizePhone(violations, prefix + ".phone_number", clinic.region_code(),
                 *practitioner.mutable_phone_number());
  std::set<std::string> seen;
  for (int i = 0; i < practitioner.treatment_types_size(); ++i) {
    const std::string field = absl::StrCat(prefix, ".treatment_types[", i, "]");
    const std::string& type = practitioner.treatment_types(i);
    if (!ParseResourceName(field, type, {"treatmentTypes"}).ok()) {
      violations.Add(field, "must be a treatment type name of the form "
                            "treatmentTypes/{treatment_type}");
    } else if (!seen.insert(type).second) {
      violations.Add(field, "is listed twice");
    }
  }
  CheckWorkingHours(violations, prefix, practitioner);
  return violations.ToStatus();
}

absl::Status ValidateRoom(const std::string& prefix, clinic::v1::Room& room) {
  FieldViolations violations;
  RequireText(violations, prefix + ".display_name", room.display_name(), kMaxNameChars);
  std::set<std::string> seen;
  for (int i = 0; i < room.capabilities_size(); ++i) {
    const std::string field = absl::StrCat(prefix, ".capabilities[", i, "]");
    if (!IsLowerSnakeCase(room.capabilities(i))) {
      violations.Add(field, "must be lower_snake_case, 1-64 characters, starting "
                            "with a letter");
    } else if (!seen.insert(room.capabilities(i)).second) {
      violations.Add(field, "is listed twice");
    }
  }
  return violations.ToStatus();
}

absl::Status ValidatePeriod(const std::string& prefix, bool has_start,
                            const google::protobuf::Timestamp& start,
                            bool has_end, const google::protobuf::Timestamp& end,
                            const std::string& reason) {
  FieldViolations violations;
  RequireTimestamp(violations, prefix + ".start_time", has_start, start);
  RequireTimestamp(violations, prefix + ".end_time", has_end, end);
  if (violations.empty() &&
      std::make_pair(end.seconds(), end.nanos()) <=
          std::make_pair(start.seconds(), start.nanos())) {
    violations.Add(prefix + ".end_time", "must be after start_time");
  } else if (violations.empty() && FromProtoTime(end) - FromProtoTime(start) > kLongestPeriod) {
    violations.Add(prefix + ".end_time",
                   "must be at most 366 days after start_time; record a longer absence as "
                   "several periods");
  }
  LimitText(violations, prefix + ".reason", reason, 500);
  return violations.ToStatus();
}

}  // namespace clinicd::domain
