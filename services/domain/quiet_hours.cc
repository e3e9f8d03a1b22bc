#include "services/domain/quiet_hours.h"

#include <algorithm>

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
    // Each bound is the first instant the clock reads it: a local time
    // skipped by a DST change maps to the change (02:30 -> 03:00 summer
    // time), a repeated one to its first occurrence. A DST change inside the
    // period makes it an hour shorter or longer, never empty.
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

// Where kEarlier moves `target`: itself when it is not quiet; else the last
// minute before its quiet period began, or `floor` when that is later but
// still before the period began; nullopt when `floor` is inside the period.
std::optional<absl::Time> MoveEarlier(const clinic::v1::ClinicPolicy& policy,
                                      const absl::TimeZone& zone, absl::Time target,
                                      absl::Time floor) {
  absl::Time start;
  absl::Time end;
  if (!HasQuietHours(policy) || !QuietPeriodAt(policy, zone, target, &start, &end)) return target;
  if (floor >= start) return std::nullopt;
  return std::max(start - absl::Minutes(1), floor);
}

}  // namespace

QuietHoursShift ShiftFor(clinic::v1::QuietHoursShift declared, QuietHoursShift kind_default) {
  switch (declared) {
    case clinic::v1::QUIET_HOURS_SHIFT_EARLIER:
      return QuietHoursShift::kEarlier;
    case clinic::v1::QUIET_HOURS_SHIFT_LATER:
      return QuietHoursShift::kLater;
    default:
      return kind_default;
  }
}

std::optional<absl::Time> PlaceMessage(const clinic::v1::ClinicPolicy& policy,
                                       const absl::TimeZone& zone, const MessageTiming& timing,
                                       absl::Time now) {
  const absl::Time floor = std::max(now, timing.not_before.value_or(now));
  if (timing.deadline.has_value()) {
    if (floor >= *timing.deadline) return std::nullopt;
  } else if (timing.due < now - kStaleAfter) {
    return std::nullopt;
  }
  absl::Time target = std::max(timing.due, floor);
  if (timing.deadline.has_value()) {
    target = std::max(std::min(target, *timing.deadline - absl::Minutes(1)), floor);
  }
  std::optional<absl::Time> placed;
  if (timing.shift == QuietHoursShift::kEarlier) {
    placed = MoveEarlier(policy, zone, target, floor);
  }
  // kLater, or kEarlier when the floor is inside the quiet hours.
  if (!placed.has_value()) placed = FirstSendableAtOrAfter(policy, zone, target);
  if (timing.deadline.has_value() && *placed >= *timing.deadline) {
    placed = MoveEarlier(policy, zone, target, floor);
    // No sendable time between the floor and the deadline: at once.
    if (!placed.has_value()) placed = floor;
  }
  return placed;
}

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
