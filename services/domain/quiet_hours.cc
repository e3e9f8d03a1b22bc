#include "services/domain/quiet_hours.h"

namespace clinicd::domain {
namespace {

int MinuteOfDay(const google::type::TimeOfDay& time) { return time.hours() * 60 + time.minutes(); }

// Whether the policy defines quiet hours at all.
bool HasQuietHours(const clinic::v1::ClinicPolicy& policy) {
  return policy.has_quiet_hours_start() && policy.has_quiet_hours_end() &&
         MinuteOfDay(policy.quiet_hours_start()) != MinuteOfDay(policy.quiet_hours_end());
}

// The quiet period containing local time `t`, as [start, end) instants, or
// false when `t` is not quiet. Both candidate periods (the one that began the
// local day before and the one that begins today) are checked, so periods
// that span midnight work.
bool QuietPeriodAt(const clinic::v1::ClinicPolicy& policy, const absl::TimeZone& zone,
                   absl::Time t, absl::Time* start, absl::Time* end) {
  const int from = MinuteOfDay(policy.quiet_hours_start());
  const int to = MinuteOfDay(policy.quiet_hours_end());
  const absl::CivilDay today = absl::ToCivilDay(t, zone);
  for (absl::CivilDay day : {today - 1, today}) {
    const absl::CivilMinute begin_local = absl::CivilMinute(day) + from;
    const absl::CivilMinute end_local = absl::CivilMinute(to > from ? day : day + 1) + to;
    // A local time skipped by a DST change maps forward, a repeated one to
    // its first occurrence: the quiet period never shrinks to nothing.
    const absl::Time begin = absl::FromCivil(begin_local, zone);
    const absl::Time finish = absl::FromCivil(end_local, zone);
    if (begin <= t && t < finish) {
      *start = begin;
      *end = finish;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Time FirstSendableAtOrAfter(const clinic::v1::ClinicPolicy& policy,
                                  const absl::TimeZone& zone, absl::Time t) {
  absl::Time start;
  absl::Time end;
  if (!HasQuietHours(policy) || !QuietPeriodAt(policy, zone, t, &start, &end)) return t;
  return end;
}

absl::Time LastSendableAtOrBefore(const clinic::v1::ClinicPolicy& policy,
                                  const absl::TimeZone& zone, absl::Time t) {
  absl::Time start;
  absl::Time end;
  if (!HasQuietHours(policy) || !QuietPeriodAt(policy, zone, t, &start, &end)) return t;
  // A minute before the quiet hours begin: the message still arrives in the
  // evening rather than after the appointment it announces.
  return start - absl::Minutes(1);
}

}  // namespace clinicd::domain
