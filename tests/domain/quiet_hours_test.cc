// Quiet hours in the clinic's time zone: messages due inside them move to
// their end (or, for a reminder that must arrive before an appointment, to
// just before they begin), across midnight and DST changes.

#include "services/domain/quiet_hours.h"

#include <gtest/gtest.h>

#include "tests/plugins/berlin_time.h"

namespace clinicd::domain {
namespace {

using plugins::test_time::Berlin;
using plugins::test_time::BerlinTime;
using plugins::test_time::InBerlin;

clinic::v1::ClinicPolicy Quiet(int start_hour, int end_hour) {
  clinic::v1::ClinicPolicy policy;
  policy.mutable_quiet_hours_start()->set_hours(start_hour);
  policy.mutable_quiet_hours_end()->set_hours(end_hour);
  return policy;
}

TEST(QuietHoursTest, WithoutQuietHoursEveryTimeIsSendable) {
  const absl::Time night = BerlinTime(2026, 12, 1, 3, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(clinic::v1::ClinicPolicy(), Berlin(), night), night);
  clinic::v1::ClinicPolicy only_start;
  only_start.mutable_quiet_hours_start()->set_hours(21);
  EXPECT_EQ(FirstSendableAtOrAfter(only_start, Berlin(), night), night);
  EXPECT_EQ(FirstSendableAtOrAfter(Quiet(8, 8), Berlin(), night), night);
}

TEST(QuietHoursTest, OvernightPeriodMovesToItsEndOnBothSidesOfMidnight) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  // The evening part belongs to the period ending the next morning.
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 12, 1, 22, 30))),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 12, 2, 7, 59))),
            InBerlin(BerlinTime(2026, 12, 2, 8, 0)));
}

TEST(QuietHoursTest, StartIsQuietAndEndIsNot) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  const absl::Time start = BerlinTime(2026, 12, 1, 21, 0);
  const absl::Time end = BerlinTime(2026, 12, 2, 8, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), start), end);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), end), end);
  const absl::Time just_before = start - absl::Seconds(1);
  EXPECT_EQ(FirstSendableAtOrAfter(policy, Berlin(), just_before), just_before);
}

TEST(QuietHoursTest, DaytimePeriodWithinOneDay) {
  const clinic::v1::ClinicPolicy lunch = Quiet(12, 14);
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(lunch, Berlin(), BerlinTime(2026, 12, 1, 13, 0))),
            InBerlin(BerlinTime(2026, 12, 1, 14, 0)));
  const absl::Time morning = BerlinTime(2026, 12, 1, 11, 0);
  EXPECT_EQ(FirstSendableAtOrAfter(lunch, Berlin(), morning), morning);
}

TEST(QuietHoursTest, BeforeADeadlineMovesToJustBeforeTheQuietHoursBegin) {
  const clinic::v1::ClinicPolicy policy = Quiet(21, 8);
  EXPECT_EQ(InBerlin(LastSendableAtOrBefore(policy, Berlin(), BerlinTime(2026, 12, 2, 6, 0))),
            InBerlin(BerlinTime(2026, 12, 1, 20, 59)));
  const absl::Time afternoon = BerlinTime(2026, 12, 1, 15, 0);
  EXPECT_EQ(LastSendableAtOrBefore(policy, Berlin(), afternoon), afternoon);
}

TEST(QuietHoursTest, EndsAtTheLocalHourAcrossDaylightSavingChanges) {
  const clinic::v1::ClinicPolicy policy = Quiet(22, 7);
  // Night of 28-29 March 2026 (clocks go forward at 02:00) and of
  // 24-25 October 2026 (back at 03:00): the period still ends at 07:00 local.
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 3, 28, 23, 0))),
            InBerlin(BerlinTime(2026, 3, 29, 7, 0)));
  EXPECT_EQ(InBerlin(FirstSendableAtOrAfter(policy, Berlin(), BerlinTime(2026, 10, 24, 23, 0))),
            InBerlin(BerlinTime(2026, 10, 25, 7, 0)));
}

}  // namespace
}  // namespace clinicd::domain
