#pragma once

// A practitioner's weekly working hours as the front desk types them:
// groups separated by ';', each a list of days (mon..sun, or a range like
// mon-fri, joined by ',') and one or more HH:MM-HH:MM intervals, e.g.
//   "mon-fri 09:00-17:00"
//   "mon,wed 08:00-12:00 13:00-18:00; sat 10:00-14:00"
// Also clock times (HH:MM) and quiet hours (HH:MM-HH:MM, may wrap midnight).

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/v1/practice_service.pb.h"
#include "google/type/timeofday.pb.h"

namespace clinicd::clinicctl {

// "09:30" (00:00-23:59). INVALID_ARGUMENT saying what is wrong.
absl::StatusOr<google::type::TimeOfDay> ParseClock(absl::string_view text);

// "09:30".
std::string FormatClock(const google::type::TimeOfDay& time);

// The intervals of a weekly hours spec (above), Monday first; each interval's
// start before its end. INVALID_ARGUMENT naming the part that is wrong.
absl::StatusOr<std::vector<clinic::v1::WorkingInterval>> ParseWeeklyHours(absl::string_view text);

// The intervals in the spec's own form, consecutive days with the same hours
// as a range: "mon-fri 09:00-17:00; sat 10:00-14:00".
std::string FormatWeeklyHours(const std::vector<clinic::v1::WorkingInterval>& hours);

// "21:00-08:00": a start and an end, which may be before the start.
absl::StatusOr<std::pair<google::type::TimeOfDay, google::type::TimeOfDay>> ParseClockRange(
    absl::string_view text);

}  // namespace clinicd::clinicctl
