#pragma once

// The meaning of a declared treatment protocol, shared by clinicd and every
// plugin: calendar periods in the clinic's time zone, screening rules,
// series planning and recall scheduling. A plugin's hooks usually call these
// and add what its own rules need.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/treatment.pb.h"
#include "clinicd/plugin/v1/plugin.pb.h"

namespace clinicd::protocol {

// `time` moved by `period` in `zone`: months, then days, on the local
// calendar keeping the local time of day (a day that lacks it, e.g. 31 Feb
// or a DST gap, uses the next valid time), then the exact duration.
absl::Time AddPeriod(absl::Time time, const clinic::v1::Period& period,
                     const absl::TimeZone& zone);

// A readable form such as "6 months", "24 hours" or "4 weeks" for messages.
std::string DescribePeriod(const clinic::v1::Period& period);

// Evaluates the declared screening rules over the answers: a time answer
// matches while the session is before answer + window (the restriction
// lifts exactly then); a yes/no answer matches on yes. The outcome is the
// most restrictive finding (contraindicated > deferred > needs review >
// cleared); until_time is when the last timed restriction lifts (the latest
// until_time of any finding), the earliest time the patient is treatable
// unless a review is also needed.
absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> EvaluateDeclaredScreening(
    const clinicd::plugin::v1::EvaluateScreeningRequest& request);

// Plans a course from the indication's series rule: the session count
// (requested, or the rule's minimum) must lie in the rule's range; each next
// session's window runs from min_spacing to max_spacing after the previous
// session's actual time (or, for sessions not yet done, after the previous
// window's start).
absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> PlanDeclaredSeries(
    const clinicd::plugin::v1::PlanSeriesRequest& request);

// Schedules a recall from the policy: due and lapse times after the
// series' completion, and each notice at its offset.
absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> ScheduleDeclaredRecall(
    const clinicd::plugin::v1::ScheduleRecallRequest& request);

}  // namespace clinicd::protocol
