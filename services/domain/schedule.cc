#include "services/domain/schedule.h"

#include <algorithm>

namespace clinicd::domain {

absl::Time ResolveLocal(const absl::CivilSecond& local, const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

absl::StatusOr<absl::TimeZone> ClinicTimeZone(const clinic::v1::Clinic& clinic) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(clinic.time_zone(), &zone)) {
    return absl::InternalError("the clinic's stored time zone does not load");
  }
  return zone;
}

int DayOfWeekNumber(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 0;
}

std::vector<Interval> WorkingIntervals(const clinic::v1::Practitioner& practitioner,
                                       const absl::TimeZone& zone, absl::CivilDay first,
                                       absl::CivilDay last) {
  std::vector<Interval> intervals;
  for (absl::CivilDay day = first; day <= last; ++day) {
    const int weekday = DayOfWeekNumber(day);
    for (const auto& hours : practitioner.working_hours()) {
      if (static_cast<int>(hours.day()) != weekday) continue;
      const absl::CivilSecond start(day.year(), day.month(), day.day(),
                                    hours.start_time().hours(), hours.start_time().minutes(), 0);
      const absl::CivilSecond end(day.year(), day.month(), day.day(), hours.end_time().hours(),
                                  hours.end_time().minutes(), 0);
      const Interval interval{ResolveLocal(start, zone), ResolveLocal(end, zone)};
      if (interval.start < interval.end) intervals.push_back(interval);
    }
  }
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  // Touching intervals (09:00-12:00 and 12:00-17:00) are one stretch of work.
  std::vector<Interval> merged;
  for (const Interval& interval : intervals) {
    if (!merged.empty() && interval.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, interval.end);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

}  // namespace clinicd::domain
