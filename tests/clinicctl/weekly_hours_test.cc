#include "clients/clinicctl/weekly_hours.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

using ::testing::HasSubstr;

std::string Parsed(absl::string_view text) {
  absl::StatusOr<std::vector<clinic::v1::WorkingInterval>> hours = ParseWeeklyHours(text);
  return hours.ok() ? FormatWeeklyHours(*hours) : std::string(hours.status().message());
}

TEST(WeeklyHoursTest, RangesListsAndGroups) {
  EXPECT_EQ(Parsed("mon-wed 09:00-17:00"), "mon-wed 09:00-17:00");
  EXPECT_EQ(Parsed("Sat 10:00-14:00; mon,wed 08:00-12:00 13:00-18:00"),
            "mon 08:00-12:00 13:00-18:00; wed 08:00-12:00 13:00-18:00; sat 10:00-14:00");
  EXPECT_EQ(Parsed("mon-fri 09:00-17:00; thu 18:00-20:00"),
            "mon-wed 09:00-17:00; thu 09:00-17:00 18:00-20:00; fri 09:00-17:00");
  EXPECT_EQ(Parsed("mon,tue,wed,thu,fri,sat,sun 08:00-18:00"), "mon-sun 08:00-18:00");
  EXPECT_EQ(Parsed("sun 9:30-23:59"), "sun 09:30-23:59");
}

TEST(WeeklyHoursTest, SaysWhatIsWrong) {
  EXPECT_THAT(Parsed("mon-fry 09:00-17:00"), HasSubstr("\"mon-fry\": days are mon"));
  EXPECT_THAT(Parsed("fri-mon 09:00-17:00"), HasSubstr("runs forward"));
  EXPECT_THAT(Parsed("mon 17:00-09:00"), HasSubstr("end after they start"));
  EXPECT_THAT(Parsed("mon 09:00-24:00"), HasSubstr("00:00 to 23:59"));
  EXPECT_THAT(Parsed("mon"), HasSubstr("days, then HH:MM-HH:MM"));
  EXPECT_THAT(Parsed("mon 09:00-12:00; mon 11:00-13:00"), HasSubstr("overlap on mon"));
  EXPECT_THAT(Parsed(""), HasSubstr("no hours"));
}

TEST(ClockRangeTest, QuietHoursMayWrapMidnight) {
  auto range = ParseClockRange("21:00-08:00");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(FormatClock(range->first), "21:00");
  EXPECT_EQ(FormatClock(range->second), "08:00");
  EXPECT_FALSE(ParseClockRange("21:00").ok());
}

}  // namespace
}  // namespace clinicd::clinicctl
