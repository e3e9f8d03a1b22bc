#include "clients/clinicctl/local_time.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

using ::testing::HasSubstr;

// In 2027 Berlin's clocks go 02:00 -> 03:00 on 28 March and 03:00 -> 02:00
// on 31 October.
class LocalTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Berlin");
    ASSERT_TRUE(zone.ok()) << zone.status();
    berlin_ = *zone;
  }

  static absl::Time Utc(int year, int month, int day, int hour, int minute) {
    return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone());
  }

  std::string Parse(const std::string& text) {
    absl::StatusOr<absl::Time> time = ParseLocalTime(text, berlin_, Utc(2027, 3, 14, 12, 0));
    return time.ok() ? absl::FormatTime("%Y-%m-%dT%H:%MZ", *time, absl::UTCTimeZone())
                     : std::string(time.status().message());
  }

  absl::TimeZone berlin_;
};

TEST_F(LocalTimeTest, ShowsTheClinicsWallClockInWinterAndSummer) {
  EXPECT_EQ(FormatDateTime(Utc(2027, 3, 15, 9, 0), berlin_), "Mon 2027-03-15 10:00 CET");
  EXPECT_EQ(FormatDateTime(Utc(2027, 4, 12, 8, 0), berlin_), "Mon 2027-04-12 10:00 CEST");
  EXPECT_EQ(FormatClock(Utc(2027, 4, 12, 8, 0), berlin_), "10:00");
  EXPECT_EQ(FormatClock(Utc(2027, 4, 12, 8, 0), berlin_, true), "10:00 CEST");
  EXPECT_EQ(FormatDate(Utc(2027, 3, 14, 23, 30), berlin_), "Mon 2027-03-15");  // already Monday
  EXPECT_EQ(FormatDay(absl::CivilDay(2027, 10, 31)), "Sun 2027-10-31");
}

TEST_F(LocalTimeTest, SpansShowOneZoneUnlessTheClocksChangeInBetween) {
  EXPECT_EQ(FormatSpan(Utc(2027, 3, 15, 9, 0), Utc(2027, 3, 15, 10, 15), berlin_), "10:00-11:15");
  EXPECT_EQ(FormatSpan(Utc(2027, 3, 15, 9, 0), Utc(2027, 3, 15, 10, 15), berlin_, true),
            "10:00-11:15 CET");
  // 01:30 CET plus one hour is 03:30 CEST.
  EXPECT_EQ(FormatSpan(Utc(2027, 3, 28, 0, 30), Utc(2027, 3, 28, 1, 30), berlin_, true),
            "01:30 CET-03:30 CEST");
  // Past midnight the end carries its date.
  EXPECT_EQ(FormatSpan(Utc(2027, 3, 15, 22, 30), Utc(2027, 3, 15, 23, 30), berlin_),
            "23:30-Tue 2027-03-16 00:30 CET");
}

TEST_F(LocalTimeTest, ALocalDayIsShorterOrLongerWhenTheClocksChange) {
  const DayBounds spring = BoundsOf(absl::CivilDay(2027, 3, 28), berlin_);
  EXPECT_EQ(spring.start, Utc(2027, 3, 27, 23, 0));
  EXPECT_EQ(spring.end, Utc(2027, 3, 28, 22, 0));
  EXPECT_EQ(spring.end - spring.start, absl::Hours(23));
  const DayBounds autumn = BoundsOf(absl::CivilDay(2027, 10, 31), berlin_);
  EXPECT_EQ(autumn.start, Utc(2027, 10, 30, 22, 0));
  EXPECT_EQ(autumn.end - autumn.start, absl::Hours(25));
  const DayBounds plain = BoundsOf(absl::CivilDay(2027, 7, 1), berlin_);
  EXPECT_EQ(plain.start, Utc(2027, 6, 30, 22, 0));
  EXPECT_EQ(plain.end - plain.start, absl::Hours(24));
  EXPECT_TRUE(ClocksChangeOn(absl::CivilDay(2027, 3, 28), berlin_));
  EXPECT_TRUE(ClocksChangeOn(absl::CivilDay(2027, 10, 31), berlin_));
  EXPECT_FALSE(ClocksChangeOn(absl::CivilDay(2027, 3, 27), berlin_));
  EXPECT_FALSE(ClocksChangeOn(absl::CivilDay(2027, 3, 29), berlin_));
}

TEST_F(LocalTimeTest, ReadsLocalTimesInTheClinicsZone) {
  EXPECT_EQ(Parse("2027-03-15 10:00"), "2027-03-15T09:00Z");
  EXPECT_EQ(Parse("2027-07-01T10:00"), "2027-07-01T08:00Z");
  EXPECT_EQ(Parse("  2027-07-01 10:00:30 "), "2027-07-01T08:00Z");
  EXPECT_EQ(Parse("today 09:30"), "2027-03-14T08:30Z");
  EXPECT_EQ(Parse("tomorrow 09:30"), "2027-03-15T08:30Z");
  EXPECT_EQ(Parse("+14 10:00"), "2027-03-28T08:00Z");  // after the change: CEST
  EXPECT_EQ(Parse("2027-03-15T10:00+01:00"), "2027-03-15T09:00Z");
  EXPECT_EQ(Parse("2027-03-15T09:00Z"), "2027-03-15T09:00Z");
}

TEST_F(LocalTimeTest, RefusesATimeTheClocksSkip) {
  const std::string refusal = Parse("2027-03-28 02:30");
  EXPECT_THAT(refusal, HasSubstr("2027-03-28T02:30 does not exist in Europe/Berlin"));
  EXPECT_THAT(refusal, HasSubstr("the clocks go from 02:00 to 03:00"));
  EXPECT_EQ(Parse("2027-03-28 03:00"), "2027-03-28T01:00Z");
  EXPECT_EQ(Parse("2027-03-28 01:59"), "2027-03-28T00:59Z");
}

TEST_F(LocalTimeTest, ARepeatedTimeNeedsItsOffset) {
  const std::string refusal = Parse("2027-10-31 02:30");
  EXPECT_THAT(refusal, HasSubstr("2027-10-31T02:30 happens twice in Europe/Berlin"));
  EXPECT_THAT(refusal, HasSubstr("from 03:00 to 02:00"));
  EXPECT_THAT(refusal, HasSubstr("2027-10-31T02:30+02:00 (CEST) for the first"));
  EXPECT_THAT(refusal, HasSubstr("2027-10-31T02:30+01:00 (CET) for the second"));
  EXPECT_EQ(Parse("2027-10-31T02:30+02:00"), "2027-10-31T00:30Z");
  EXPECT_EQ(Parse("2027-10-31T02:30+01:00"), "2027-10-31T01:30Z");
  EXPECT_EQ(Parse("2027-10-31 03:00"), "2027-10-31T02:00Z");
}

TEST_F(LocalTimeTest, RefusesWhatIsNotALocalTime) {
  for (const char* text : {"10:00", "2027-03-15", "2027-13-01 10:00", "2027-03-15 25:00",
                           "2027-03-15 10:60", "next week 10:00", "2027-03-15 10", ""}) {
    EXPECT_THAT(Parse(text), HasSubstr("is not a local time")) << text;
  }
}

TEST_F(LocalTimeTest, ReadsLocalDatesRelativeToTheClinicsToday) {
  // 23:30 UTC on the 14th is already the 15th in Berlin.
  const absl::Time now = Utc(2027, 3, 14, 23, 30);
  EXPECT_EQ(*ParseLocalDate("today", berlin_, now), absl::CivilDay(2027, 3, 15));
  EXPECT_EQ(*ParseLocalDate("Tomorrow", berlin_, now), absl::CivilDay(2027, 3, 16));
  EXPECT_EQ(*ParseLocalDate("+7", berlin_, now), absl::CivilDay(2027, 3, 22));
  EXPECT_EQ(*ParseLocalDate("2027-10-31", berlin_, now), absl::CivilDay(2027, 10, 31));
  for (const char* text : {"2027-02-30", "31.10.2027", "-1", "soon", ""}) {
    const absl::StatusOr<absl::CivilDay> day = ParseLocalDate(text, berlin_, now);
    ASSERT_FALSE(day.ok()) << text;
    EXPECT_THAT(std::string(day.status().message()), HasSubstr("is not a date")) << text;
  }
}

TEST_F(LocalTimeTest, RefusesUnknownZones) {
  EXPECT_FALSE(LoadZone("Europe/Atlantis").ok());
  EXPECT_FALSE(LoadZone("").ok());
  EXPECT_TRUE(LoadZone("America/Sao_Paulo").ok());
}

TEST_F(LocalTimeTest, RewritesUtcTimestampsInTextOnTheClinicsClock) {
  // RFC 3339 in UTC, with seconds and fractions, in winter and summer.
  EXPECT_EQ(LocalizeTimes("treatment deferred until 2027-01-05T06:00:00Z; then book", berlin_),
            "treatment deferred until Tue 2027-01-05 07:00 CET; then book");
  EXPECT_EQ(LocalizeTimes("until 2027-04-02T08:00:00.250Z.", berlin_),
            "until Fri 2027-04-02 10:00 CEST.");
  EXPECT_EQ(LocalizeTimes("from 2027-04-02t08:00z", berlin_), "from Fri 2027-04-02 10:00 CEST");
  // Other offsets, and UTC spelt out.
  EXPECT_EQ(LocalizeTimes("at 2027-10-31T02:30+01:00", berlin_), "at Sun 2027-10-31 02:30 CET");
  EXPECT_EQ(LocalizeTimes("at 2027-10-31T02:30:00+02:00", berlin_), "at Sun 2027-10-31 02:30 CEST");
  EXPECT_EQ(LocalizeTimes("at 2027-03-01T09:00-05:00", berlin_), "at Mon 2027-03-01 15:00 CET");
  EXPECT_EQ(LocalizeTimes("ends 2027-03-01 09:00 UTC", berlin_), "ends Mon 2027-03-01 10:00 CET");
  // Several in one text.
  EXPECT_EQ(LocalizeTimes("2027-01-05T06:00:00Z to 2027-01-05T07:30:00Z", berlin_),
            "Tue 2027-01-05 07:00 CET to Tue 2027-01-05 08:30 CET");
}

TEST_F(LocalTimeTest, LeavesLocalTimesAndLookalikesAlone) {
  for (const char* text : {"the session at 2027-01-05 08:00 CET opens at 2027-01-05 07:00 CET",
                           "on 2027-01-05", "id 12027-01-05T06:00:00Z", "2027-13-05T06:00:00Z",
                           "2027-01-05T06:00:00Zulu", "2027-01-05T06:00", "", "Z UTC"}) {
    EXPECT_EQ(LocalizeTimes(text, berlin_), text);
  }
}

TEST(ProtoTimeTest, ConvertsTimestampsAndDates) {
  const absl::Time time = absl::FromUnixMicros(1'815'000'000'123'456);
  EXPECT_EQ(FromProto(ToProto(time)), time);
  const google::type::Date date = ToProtoDate(absl::CivilDay(2027, 3, 28));
  EXPECT_EQ(date.year(), 2027);
  EXPECT_EQ(date.month(), 3);
  EXPECT_EQ(date.day(), 28);
}

}  // namespace
}  // namespace clinicd::clinicctl
