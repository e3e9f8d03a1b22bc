// Calendar periods (AddPeriod, DescribePeriod) in a Berlin clinic: month
// ends, DST gaps and repeated hours, negative offsets.

#include "absl/time/time.h"
#include "clinicd/protocol_rules.h"
#include "gtest/gtest.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::protocol {
namespace {

using clinic::v1::Period;
using clinicd::plugins::test_time::Berlin;
using clinicd::plugins::test_time::BerlinTime;
using clinicd::plugins::test_time::InBerlin;
using clinicd::plugins::test_time::InUtc;

Period MakePeriod(int months, int days, int64_t seconds = 0) {
  Period period;
  period.set_months(months);
  period.set_days(days);
  period.mutable_duration()->set_seconds(seconds);
  return period;
}

TEST(AddPeriodTest, SixMonthsFromTheThirtyFirstOfAugustIsTheEndOfFebruary) {
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2026, 8, 31, 10, 0), MakePeriod(6, 0), Berlin())),
            "2027-02-28 10:00:00 CET");
  // 2028 is a leap year.
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2027, 8, 31, 10, 0), MakePeriod(6, 0), Berlin())),
            "2028-02-29 10:00:00 CET");
}

TEST(AddPeriodTest, MonthsApplyBeforeDays) {
  // 31 Aug + 6 months clamps to 28 Feb, then 1 day: 1 March.
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2026, 8, 31, 10, 0), MakePeriod(6, 1), Berlin())),
            "2027-03-01 10:00:00 CET");
}

TEST(AddPeriodTest, TargetInTheSpringDstGapBecomesTheEndOfTheGap) {
  // 02:30 on 28 March 2027 does not exist in Berlin: 03:00 CEST instead.
  const absl::Time by_day = AddPeriod(BerlinTime(2027, 3, 27, 2, 30), MakePeriod(0, 1), Berlin());
  EXPECT_EQ(InBerlin(by_day), "2027-03-28 03:00:00 CEST");
  EXPECT_EQ(InUtc(by_day), "2027-03-28 01:00:00 UTC");
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2027, 2, 28, 2, 30), MakePeriod(1, 0), Berlin())),
            "2027-03-28 03:00:00 CEST");
}

TEST(AddPeriodTest, TargetInTheRepeatedAutumnHourTakesTheFirstOccurrence) {
  const absl::Time target = AddPeriod(BerlinTime(2027, 10, 30, 2, 30), MakePeriod(0, 1), Berlin());
  EXPECT_EQ(InBerlin(target), "2027-10-31 02:30:00 CEST");
  EXPECT_EQ(InUtc(target), "2027-10-31 00:30:00 UTC");
}

TEST(AddPeriodTest, NegativeDaysKeepLocalTimeAcrossDst) {
  // A preparation message a week before a 10:00 CEST appointment goes out at
  // 10:00 CET.
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2027, 3, 29, 10, 0), MakePeriod(0, -7), Berlin())),
            "2027-03-22 10:00:00 CET");
}

TEST(AddPeriodTest, DurationIsExactTimeAddedAfterTheCalendarPart) {
  // One day (23 hours long across the spring change), then 2 exact hours.
  EXPECT_EQ(
      InBerlin(AddPeriod(BerlinTime(2027, 3, 27, 12, 0), MakePeriod(0, 1, 2 * 3600), Berlin())),
      "2027-03-28 14:00:00 CEST");
  EXPECT_EQ(InBerlin(AddPeriod(BerlinTime(2027, 3, 28, 1, 30), MakePeriod(0, 0, 3600), Berlin())),
            "2027-03-28 03:30:00 CEST");
}

TEST(DescribePeriodTest, ReadsNaturally) {
  EXPECT_EQ(DescribePeriod(MakePeriod(6, 0)), "6 months");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, 0, 24 * 3600)), "24 hours");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, 28)), "4 weeks");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, 3)), "3 days");
  EXPECT_EQ(DescribePeriod(MakePeriod(11, 14)), "11 months and 2 weeks");
  EXPECT_EQ(DescribePeriod(MakePeriod(1, 0)), "1 month");
}

TEST(DescribePeriodTest, NegativeOffsetsAreSingularForOne) {
  // Preparation offsets point back in time: "-1 day", not "-1 days".
  EXPECT_EQ(DescribePeriod(MakePeriod(0, -1)), "-1 day");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, -7)), "-1 week");
  EXPECT_EQ(DescribePeriod(MakePeriod(-1, 0)), "-1 month");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, 0, -3600)), "-1 hour");
  EXPECT_EQ(DescribePeriod(MakePeriod(0, -3)), "-3 days");
}

}  // namespace
}  // namespace clinicd::protocol
