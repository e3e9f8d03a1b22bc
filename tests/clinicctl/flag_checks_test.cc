#include "clients/clinicctl/flag_checks.h"

#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/refusal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every failure here is a usage error (exit 2) whose message starts with the flag.
void ExpectUsage(const absl::Status& status, const std::string& flag) {
  EXPECT_EQ(ExitCodeFor(status), kExitUsage) << status;
  EXPECT_THAT(std::string(status.message()), StartsWith("--" + flag)) << status;
}

class FlagChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Berlin");
    ASSERT_TRUE(zone.ok()) << zone.status();
    berlin_ = *zone;
  }

  absl::Time Berlin(int year, int month, int day, int hour, int minute) const {
    return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), berlin_);
  }

  absl::TimeZone berlin_;
};

TEST_F(FlagChecksTest, AConsultationIsBookedWithoutSeriesOrNumbing) {
  EXPECT_TRUE(CheckConsultationFlags(false, true, true).ok());
  EXPECT_TRUE(CheckConsultationFlags(true, false, false).ok());
  ExpectUsage(CheckConsultationFlags(true, true, false), "series");
  ExpectUsage(CheckConsultationFlags(true, false, true), "numbing");
}

TEST_F(FlagChecksTest, AnOverrideNeedsItsReasonsAndAJustification) {
  absl::StatusOr<std::optional<v1::RuleOverride>> none = RuleOverrideFromFlags({}, "");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  absl::StatusOr<std::optional<v1::RuleOverride>> given = RuleOverrideFromFlags(
      {"series_window_closed", " Series-Spacing ", "SERIES_WINDOW_CLOSED", ""},
      "  patient was ill for three weeks ");
  ASSERT_TRUE(given.ok()) << given.status();
  ASSERT_TRUE(given->has_value());
  EXPECT_THAT((*given)->reasons(), ElementsAre("SERIES_WINDOW_CLOSED", "SERIES_SPACING"));
  EXPECT_EQ((*given)->justification(), "patient was ill for three weeks");

  const absl::Status no_justification = RuleOverrideFromFlags({"SERIES_SPACING"}, "  ").status();
  ExpectUsage(no_justification, "justification");
  EXPECT_THAT(std::string(no_justification.message()), HasSubstr("--override needs"));
  const absl::Status no_reasons = RuleOverrideFromFlags({}, "patient was ill").status();
  ExpectUsage(no_reasons, "override");
  EXPECT_THAT(std::string(no_reasons.message()), HasSubstr("--justification goes with"));
}

TEST_F(FlagChecksTest, ATimeInThePastIsCalledThatOnTheClinicsClock) {
  const absl::Time now = Berlin(2027, 1, 5, 7, 0);
  EXPECT_TRUE(NotInThePast("at", now, now, berlin_).ok());
  EXPECT_TRUE(NotInThePast("at", Berlin(2027, 1, 5, 10, 0), now, berlin_).ok());
  const absl::Status past = NotInThePast("at", Berlin(2027, 1, 4, 10, 0), now, berlin_);
  ExpectUsage(past, "at");
  EXPECT_EQ(past.message(),
            "--at Mon 2027-01-04 10:00 CET is in the past (it is now Tue 2027-01-05 07:00 CET); "
            "choose a later time: clinicctl slots lists free ones");

  EXPECT_TRUE(DayNotInThePast("from", absl::CivilDay(2027, 1, 5), now, berlin_).ok());
  const absl::Status yesterday = DayNotInThePast("from", absl::CivilDay(2027, 1, 4), now, berlin_);
  ExpectUsage(yesterday, "from");
  EXPECT_THAT(std::string(yesterday.message()),
              HasSubstr("is in the past (today is Tue 2027-01-05)"));
  // Just after midnight in Berlin it is already the 5th, though UTC says the 4th.
  EXPECT_TRUE(
      DayNotInThePast("from", absl::CivilDay(2027, 1, 5), Berlin(2027, 1, 5, 0, 30), berlin_).ok());
}

TEST_F(FlagChecksTest, AConsultationOutcomeIsSuitableOrNot) {
  absl::StatusOr<v1::ConsultationOutcome> suitable =
      ConsultationOutcomeFromFlags(true, false, "acne_scars", 1.5, "thin skin at the temples");
  ASSERT_TRUE(suitable.ok()) << suitable.status();
  EXPECT_TRUE(suitable->suitable());
  EXPECT_EQ(suitable->indication(), "acne_scars");
  EXPECT_DOUBLE_EQ(suitable->planned_needle_depth_mm(), 1.5);
  EXPECT_EQ(suitable->notes(), "thin skin at the temples");

  absl::StatusOr<v1::ConsultationOutcome> not_suitable =
      ConsultationOutcomeFromFlags(false, true, "", 0, "active acne");
  ASSERT_TRUE(not_suitable.ok()) << not_suitable.status();
  EXPECT_FALSE(not_suitable->suitable());

  ExpectUsage(ConsultationOutcomeFromFlags(false, false, "acne_scars", 0, "").status(), "suitable");
  ExpectUsage(ConsultationOutcomeFromFlags(true, true, "acne_scars", 0, "").status(),
              "not_suitable");
  ExpectUsage(ConsultationOutcomeFromFlags(true, false, " ", 0, "").status(), "indication");
  ExpectUsage(ConsultationOutcomeFromFlags(true, false, "acne_scars", 7, "").status(),
              "needle_depth");
}

TEST_F(FlagChecksTest, ReviewOutcomesAreWords) {
  EXPECT_EQ(*ScreeningOutcomeFromFlag("cleared"), v1::SCREENING_OUTCOME_CLEARED);
  EXPECT_EQ(*ScreeningOutcomeFromFlag("Deferred"), v1::SCREENING_OUTCOME_DEFERRED);
  EXPECT_EQ(*ScreeningOutcomeFromFlag("CONTRAINDICATED"), v1::SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_EQ(*ScreeningOutcomeFromFlag("needs-review"), v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  ExpectUsage(ScreeningOutcomeFromFlag("fine").status(), "outcome");
}

TEST_F(FlagChecksTest, APeriodIsLocalTimesOrWholeDays) {
  const absl::Time now = Berlin(2027, 3, 14, 12, 0);
  absl::StatusOr<Period> hours =
      PeriodFromFlags("2027-03-15 13:00", "2027-03-15 17:30", berlin_, now);
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_EQ(hours->start, Berlin(2027, 3, 15, 13, 0));
  EXPECT_EQ(hours->end, Berlin(2027, 3, 15, 17, 30));

  // Dates: from the first midnight through the last day, across the change to summer time.
  absl::StatusOr<Period> days = PeriodFromFlags("2027-03-26", "2027-03-29", berlin_, now);
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ(days->start, Berlin(2027, 3, 26, 0, 0));
  EXPECT_EQ(days->end, Berlin(2027, 3, 30, 0, 0));
  EXPECT_EQ(days->end - days->start, absl::Hours(4 * 24 - 1));

  absl::StatusOr<Period> relative = PeriodFromFlags("tomorrow", "+1", berlin_, now);
  ASSERT_TRUE(relative.ok()) << relative.status();
  EXPECT_EQ(relative->start, Berlin(2027, 3, 15, 0, 0));
  EXPECT_EQ(relative->end, Berlin(2027, 3, 16, 0, 0));

  ExpectUsage(PeriodFromFlags("", "2027-03-15", berlin_, now).status(), "from");
  ExpectUsage(PeriodFromFlags("2027-03-15", "soon", berlin_, now).status(), "to");
  ExpectUsage(PeriodFromFlags("2027-03-28 02:30", "2027-03-28 05:00", berlin_, now).status(),
              "from");
  const absl::Status backwards =
      PeriodFromFlags("2027-03-15 13:00", "2027-03-15 09:00", berlin_, now).status();
  ExpectUsage(backwards, "to");
  EXPECT_THAT(std::string(backwards.message()), HasSubstr("must be after --from"));
}

}  // namespace
}  // namespace clinicd::clinicctl
