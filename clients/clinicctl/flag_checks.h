#pragma once

// Checks of what the front desk typed that need no answer from clinicd:
// flags that go together or exclude each other, times already past, periods
// of time off, a clinician's decisions. Each failure is a usage error (exit
// 2) naming the flag.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/consent_service.pb.h"

namespace clinicd::clinicctl {

namespace v1 = ::clinic::v1;

// A consultation is booked alone: not in a series, without numbing.
absl::Status CheckConsultationFlags(bool consultation, bool series, bool numbing);

// The clinician's override from --override (rule reasons, any case, comma
// separated) and --justification; nullopt when neither is given, a usage
// error when only one is.
absl::StatusOr<std::optional<v1::RuleOverride>> RuleOverrideFromFlags(
    const std::vector<std::string>& reasons, const std::string& justification);

// Refuses `time` (the value of --`flag`) when it is before `now`, saying
// both on the clinic's clock.
absl::Status NotInThePast(absl::string_view flag, absl::Time time, absl::Time now,
                          const absl::TimeZone& zone);

// Refuses the local date `day` (the value of --`flag`) when it is before the
// date of `now` in `zone`.
absl::Status DayNotInThePast(absl::string_view flag, absl::CivilDay day, absl::Time now,
                             const absl::TimeZone& zone);

// What a clinician found at a consultation, from --suitable/--not_suitable
// (exactly one), --indication (required when suitable), --needle_depth (0 to
// 5 mm) and --notes.
absl::StatusOr<v1::ConsultationOutcome> ConsultationOutcomeFromFlags(bool suitable,
                                                                     bool not_suitable,
                                                                     const std::string& indication,
                                                                     double needle_depth_mm,
                                                                     const std::string& notes);

// --outcome: cleared, deferred, contraindicated or needs_review.
absl::StatusOr<v1::ScreeningOutcome> ScreeningOutcomeFromFlag(const std::string& text);

// A period on the clinic's calendar, [start, end).
struct Period {
  absl::Time start;
  absl::Time end;
};

// --from and --to of time off and closures: each a local time ("YYYY-MM-DD
// HH:MM", "+2 14:00") or a local date (YYYY-MM-DD, today, +N), a date
// meaning its midnight for --from and the end of that day for --to.
absl::StatusOr<Period> PeriodFromFlags(const std::string& from, const std::string& to,
                                       const absl::TimeZone& zone, absl::Time now);

}  // namespace clinicd::clinicctl
