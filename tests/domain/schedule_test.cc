// Working hours become absolute intervals in the clinic's zone: a local
// shift keeps its local clock times on the days Berlin changes its clocks
// (2027-03-28 02:00 -> 03:00, 2027-10-31 03:00 -> 02:00), and local times
// that are skipped or repeated resolve to one documented instant.

#include "services/domain/schedule.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/v1/practice_service.pb.h"
#include "gtest/gtest.h"

namespace clinicd::domain {
namespace {

using ::clinic::v1::Practitioner;

const absl::TimeZone& Berlin() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    if (!absl::LoadTimeZone("Europe/Berlin", &loaded)) std::abort();
    return loaded;
  }();
  return zone;
}

absl::Time Utc(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

std::string InUtc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
}

std::string InBerlin(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, Berlin());
}

void AddHours(Practitioner& practitioner, google::type::DayOfWeek day, int start_hour,
              int end_hour) {
  auto* hours = practitioner.add_working_hours();
  hours->set_day(day);
  hours->mutable_start_time()->set_hours(start_hour);
  hours->mutable_end_time()->set_hours(end_hour);
}

// Sunday and Monday 09:00-17:00, as the brief for both DST weekends.
Practitioner SundayMondayShift() {
  Practitioner practitioner;
  AddHours(practitioner, google::type::SUNDAY, 9, 17);
  AddHours(practitioner, google::type::MONDAY, 9, 17);
  return practitioner;
}

// Each interval as "start UTC - end UTC".
std::vector<std::string> Describe(const std::vector<Interval>& intervals) {
  std::vector<std::string> out;
  for (const Interval& i : intervals) out.push_back(InUtc(i.start) + " - " + InUtc(i.end));
  return out;
}

TEST(ScheduleTest, DayOfWeekNumberFollowsGoogleTypeDayOfWeek) {
  // 2027-03-22 is a Monday.
  const absl::CivilDay monday(2027, 3, 22);
  EXPECT_EQ(DayOfWeekNumber(monday), google::type::MONDAY);
  EXPECT_EQ(DayOfWeekNumber(monday + 4), google::type::FRIDAY);
  EXPECT_EQ(DayOfWeekNumber(monday + 5), google::type::SATURDAY);
  EXPECT_EQ(DayOfWeekNumber(monday + 6), google::type::SUNDAY);
  EXPECT_EQ(DayOfWeekNumber(monday + 6), 7);
}

TEST(ScheduleTest, WorkingIntervalsSpringForwardKeepsLocalShiftOfEightHours) {
  // Saturday 27 March (CET) has no hours; Sunday 28 March is the change
  // day, already CEST by 09:00; Monday 29 March is CEST.
  const std::vector<Interval> intervals = WorkingIntervals(
      SundayMondayShift(), Berlin(), absl::CivilDay(2027, 3, 27), absl::CivilDay(2027, 3, 29));
  EXPECT_EQ(Describe(intervals),
            (std::vector<std::string>{"2027-03-28 07:00 UTC - 2027-03-28 15:00 UTC",
                                      "2027-03-29 07:00 UTC - 2027-03-29 15:00 UTC"}));
  for (const Interval& i : intervals) {
    EXPECT_EQ(i.end - i.start, absl::Hours(8)) << InUtc(i.start);
    EXPECT_EQ(absl::FormatTime("%H:%M %Z", i.start, Berlin()), "09:00 CEST");
    EXPECT_EQ(absl::FormatTime("%H:%M %Z", i.end, Berlin()), "17:00 CEST");
  }
}

TEST(ScheduleTest, WorkingIntervalsWeekBeforeSpringForwardIsStillWinterTime) {
  const std::vector<Interval> intervals = WorkingIntervals(
      SundayMondayShift(), Berlin(), absl::CivilDay(2027, 3, 21), absl::CivilDay(2027, 3, 22));
  EXPECT_EQ(Describe(intervals),
            (std::vector<std::string>{"2027-03-21 08:00 UTC - 2027-03-21 16:00 UTC",
                                      "2027-03-22 08:00 UTC - 2027-03-22 16:00 UTC"}));
}

TEST(ScheduleTest, WorkingIntervalsFallBackKeepsLocalShiftOfEightHours) {
  // Sunday 31 October is the change day, already CET by 09:00; the Saturday
  // before (no hours here) is still CEST.
  const std::vector<Interval> intervals = WorkingIntervals(
      SundayMondayShift(), Berlin(), absl::CivilDay(2027, 10, 30), absl::CivilDay(2027, 11, 1));
  EXPECT_EQ(Describe(intervals),
            (std::vector<std::string>{"2027-10-31 08:00 UTC - 2027-10-31 16:00 UTC",
                                      "2027-11-01 08:00 UTC - 2027-11-01 16:00 UTC"}));
  for (const Interval& i : intervals) {
    EXPECT_EQ(i.end - i.start, absl::Hours(8)) << InUtc(i.start);
    EXPECT_EQ(absl::FormatTime("%H:%M %Z", i.start, Berlin()), "09:00 CET");
  }
}

TEST(ScheduleTest, WorkingIntervalsNightShiftAcrossTheChange) {
  // 01:00-05:00 local on the change days: 3 h when an hour is skipped,
  // 5 h when one repeats (01:00 is CEST, 05:00 CET).
  Practitioner practitioner;
  AddHours(practitioner, google::type::SUNDAY, 1, 5);
  const std::vector<Interval> spring = WorkingIntervals(
      practitioner, Berlin(), absl::CivilDay(2027, 3, 28), absl::CivilDay(2027, 3, 28));
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(InUtc(spring[0].start), "2027-03-28 00:00 UTC");
  EXPECT_EQ(InUtc(spring[0].end), "2027-03-28 03:00 UTC");
  EXPECT_EQ(spring[0].end - spring[0].start, absl::Hours(3));

  const std::vector<Interval> autumn = WorkingIntervals(
      practitioner, Berlin(), absl::CivilDay(2027, 10, 31), absl::CivilDay(2027, 10, 31));
  ASSERT_EQ(autumn.size(), 1u);
  EXPECT_EQ(InUtc(autumn[0].start), "2027-10-30 23:00 UTC");
  EXPECT_EQ(InUtc(autumn[0].end), "2027-10-31 04:00 UTC");
  EXPECT_EQ(autumn[0].end - autumn[0].start, absl::Hours(5));
}

TEST(ScheduleTest, WorkingIntervalsSortsSplitShiftsAndSkipsDaysWithoutHours) {
  Practitioner practitioner;
  // Afternoon listed before morning, and Wednesday before Tuesday.
  AddHours(practitioner, google::type::WEDNESDAY, 14, 18);
  AddHours(practitioner, google::type::TUESDAY, 13, 17);
  AddHours(practitioner, google::type::TUESDAY, 8, 12);
  // Monday 2027-03-22 to Thursday 2027-03-25, CET.
  const std::vector<Interval> intervals = WorkingIntervals(
      practitioner, Berlin(), absl::CivilDay(2027, 3, 22), absl::CivilDay(2027, 3, 25));
  EXPECT_EQ(Describe(intervals),
            (std::vector<std::string>{"2027-03-23 07:00 UTC - 2027-03-23 11:00 UTC",
                                      "2027-03-23 12:00 UTC - 2027-03-23 16:00 UTC",
                                      "2027-03-24 13:00 UTC - 2027-03-24 17:00 UTC"}));
}

TEST(ScheduleTest, WorkingIntervalsEmptyWhenLastDayIsBeforeFirst) {
  EXPECT_TRUE(WorkingIntervals(SundayMondayShift(), Berlin(), absl::CivilDay(2027, 3, 29),
                               absl::CivilDay(2027, 3, 28))
                  .empty());
}

TEST(ScheduleTest, ResolveLocalSkippedTimeResolvesToTheEndOfTheGap) {
  // 02:30 does not exist on 2027-03-28; the gap ends at 03:00 CEST.
  const absl::Time t = ResolveLocal(absl::CivilSecond(2027, 3, 28, 2, 30, 0), Berlin());
  EXPECT_EQ(t, Utc(2027, 3, 28, 1, 0)) << InUtc(t);
  EXPECT_EQ(InBerlin(t), "2027-03-28 03:00 CEST");
}

TEST(ScheduleTest, ResolveLocalRepeatedTimeResolvesToTheFirstOccurrence) {
  // 02:30 happens twice on 2027-10-31: first in CEST (00:30 UTC), then in
  // CET (01:30 UTC).
  const absl::Time t = ResolveLocal(absl::CivilSecond(2027, 10, 31, 2, 30, 0), Berlin());
  EXPECT_EQ(t, Utc(2027, 10, 31, 0, 30)) << InUtc(t);
  EXPECT_EQ(InBerlin(t), "2027-10-31 02:30 CEST");
}

TEST(ScheduleTest, ResolveLocalUniqueTimeResolvesToItsInstant) {
  EXPECT_EQ(ResolveLocal(absl::CivilSecond(2027, 1, 15, 9, 0, 0), Berlin()),
            Utc(2027, 1, 15, 8, 0));
  EXPECT_EQ(ResolveLocal(absl::CivilSecond(2027, 7, 15, 9, 0, 0), Berlin()),
            Utc(2027, 7, 15, 7, 0));
}

TEST(ScheduleTest, IntervalOverlapsAndContainsAreHalfOpen) {
  const Interval morning{Utc(2027, 1, 4, 8, 0), Utc(2027, 1, 4, 9, 0)};
  const Interval next{Utc(2027, 1, 4, 9, 0), Utc(2027, 1, 4, 10, 0)};
  const Interval straddling{Utc(2027, 1, 4, 8, 59), Utc(2027, 1, 4, 9, 1)};
  EXPECT_FALSE(Overlaps(morning, next));
  EXPECT_FALSE(Overlaps(next, morning));
  EXPECT_TRUE(Overlaps(morning, straddling));
  EXPECT_TRUE(Overlaps(straddling, next));
  EXPECT_TRUE(Contains(morning, morning));
  EXPECT_FALSE(Contains(morning, straddling));
}

}  // namespace
}  // namespace clinicd::domain

namespace clinicd::domain {
namespace {

TEST(ScheduleTest, WorkingIntervalsMergesTouchingIntervalsIntoOneStretch) {
  Practitioner practitioner;
  AddHours(practitioner, google::type::WEDNESDAY, 12, 17);
  AddHours(practitioner, google::type::WEDNESDAY, 9, 12);
  const absl::CivilDay wednesday(2027, 1, 13);
  EXPECT_EQ(Describe(WorkingIntervals(practitioner, Berlin(), wednesday, wednesday)),
            (std::vector<std::string>{"2027-01-13 08:00 UTC - 2027-01-13 16:00 UTC"}));
}

}  // namespace
}  // namespace clinicd::domain
