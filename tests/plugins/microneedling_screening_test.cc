// Every microneedling screening rule at its boundaries, through the SDK's
// declared-rule semantics (EvaluateDeclaredScreening), in a Berlin clinic.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinicd/protocol_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/microneedling/microneedling_protocol.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::plugins::microneedling {
namespace {

using clinic::v1::SCREENING_OUTCOME_CLEARED;
using clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED;
using clinic::v1::SCREENING_OUTCOME_DEFERRED;
using clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW;
using clinicd::plugin::v1::EvaluateScreeningRequest;
using clinicd::plugin::v1::EvaluateScreeningResponse;
using test_time::BerlinTime;
using test_time::InBerlin;
using test_time::InUtc;
using test_time::ToProto;
using test_time::UtcTime;
using ::testing::HasSubstr;
using ::testing::Not;

class MicroneedlingScreeningTest : public ::testing::Test {
 protected:
  // A screening for a session at `session` where every question is answered
  // with nothing to report (no times, no medicines).
  EvaluateScreeningRequest Request(absl::Time session) const {
    EvaluateScreeningRequest request;
    *request.mutable_treatment_type() = protocol_;
    for (const auto& question : protocol_.screening_questions()) {
      request.add_answers()->set_question_id(question.id());
    }
    *request.mutable_session_time() = ToProto(session);
    request.set_time_zone(test_time::kBerlin);
    return request;
  }

  // Sets the time answered for `question_id`.
  static void AnswerTime(EvaluateScreeningRequest& request, const std::string& question_id,
                         absl::Time time) {
    for (auto& answer : *request.mutable_answers()) {
      if (answer.question_id() == question_id) *answer.mutable_time() = ToProto(time);
    }
  }

  // Answers yes to `question_id`.
  static void AnswerYes(EvaluateScreeningRequest& request, const std::string& question_id) {
    for (auto& answer : *request.mutable_answers()) {
      if (answer.question_id() == question_id) answer.set_yes(true);
    }
  }

  // Evaluates `request`; an error fails the test.
  static EvaluateScreeningResponse EvaluateOne(const EvaluateScreeningRequest& request) {
    absl::StatusOr<EvaluateScreeningResponse> response =
        protocol::EvaluateDeclaredScreening(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : EvaluateScreeningResponse();
  }

  // The outcome when `question_id` was last true at `answered` and the
  // session is at `session`.
  EvaluateScreeningResponse WithTime(const std::string& question_id, absl::Time answered,
                                     absl::Time session) const {
    EvaluateScreeningRequest request = Request(session);
    AnswerTime(request, question_id, answered);
    return EvaluateOne(request);
  }

  const clinic::v1::TreatmentType protocol_ = MicroneedlingProtocol();
};

// Asserts `response` is deferred or contraindicated by `rule_id` alone,
// lifting at `until` (Berlin, e.g. "2027-03-15 10:00:00 CET").
void ExpectRestricted(const EvaluateScreeningResponse& response,
                      clinic::v1::ScreeningOutcome outcome, const std::string& rule_id,
                      const std::string& until) {
  EXPECT_EQ(response.outcome(), outcome);
  ASSERT_TRUE(response.has_until_time());
  EXPECT_EQ(InBerlin(response.until_time()), until);
  ASSERT_EQ(response.findings_size(), 1);
  EXPECT_EQ(response.findings(0).rule_id(), rule_id);
  EXPECT_EQ(response.findings(0).outcome(), outcome);
  EXPECT_EQ(InBerlin(response.findings(0).until_time()), until);
  EXPECT_FALSE(response.findings(0).explanation().empty());
}

// Asserts nothing stands in the way.
void ExpectCleared(const EvaluateScreeningResponse& response) {
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_CLEARED);
  EXPECT_FALSE(response.has_until_time());
  EXPECT_EQ(response.findings_size(), 0);
}

TEST_F(MicroneedlingScreeningTest, NothingToReportIsCleared) {
  ExpectCleared(EvaluateOne(Request(BerlinTime(2027, 3, 15, 10, 0))));
}

// --- Isotretinoin: contraindicated for 6 calendar months. -----------------

TEST_F(MicroneedlingScreeningTest, IsotretinoinContraindicatedOneMinuteBeforeSixMonths) {
  ExpectRestricted(WithTime("isotretinoin_last_dose", BerlinTime(2026, 9, 15, 10, 0),
                            BerlinTime(2027, 3, 15, 9, 59)),
                   SCREENING_OUTCOME_CONTRAINDICATED, "isotretinoin_within_6_months",
                   "2027-03-15 10:00:00 CET");
}

TEST_F(MicroneedlingScreeningTest, IsotretinoinClearedAtExactlySixMonths) {
  ExpectCleared(WithTime("isotretinoin_last_dose", BerlinTime(2026, 9, 15, 10, 0),
                         BerlinTime(2027, 3, 15, 10, 0)));
}

TEST_F(MicroneedlingScreeningTest, IsotretinoinSixMonthsMinusADayVersusPlusADay) {
  const absl::Time last_dose = BerlinTime(2026, 9, 15, 10, 0);
  ExpectRestricted(WithTime("isotretinoin_last_dose", last_dose, BerlinTime(2027, 3, 14, 10, 0)),
                   SCREENING_OUTCOME_CONTRAINDICATED, "isotretinoin_within_6_months",
                   "2027-03-15 10:00:00 CET");
  ExpectCleared(WithTime("isotretinoin_last_dose", last_dose, BerlinTime(2027, 3, 16, 10, 0)));
}

TEST_F(MicroneedlingScreeningTest, IsotretinoinWindowKeepsLocalTimeAcrossAutumnDst) {
  // Last dose in summer time (CEST, 08:00 UTC); six months later is winter
  // time, and the window ends at 10:00 local = 09:00 UTC, not 08:00 UTC.
  const absl::Time last_dose = BerlinTime(2026, 9, 20, 10, 0);
  ASSERT_EQ(InUtc(last_dose), "2026-09-20 08:00:00 UTC");
  const EvaluateScreeningResponse response =
      WithTime("isotretinoin_last_dose", last_dose, UtcTime(2027, 3, 20, 8, 0));
  ExpectRestricted(response, SCREENING_OUTCOME_CONTRAINDICATED, "isotretinoin_within_6_months",
                   "2027-03-20 10:00:00 CET");
  EXPECT_EQ(InUtc(response.until_time()), "2027-03-20 09:00:00 UTC");
  ExpectCleared(WithTime("isotretinoin_last_dose", last_dose, UtcTime(2027, 3, 20, 9, 0)));
}

TEST_F(MicroneedlingScreeningTest, IsotretinoinWindowEndingOnDstStartDay) {
  // 28 March 2027 is the day Berlin moves to summer time; 10:00 exists.
  const absl::Time last_dose = BerlinTime(2026, 9, 28, 10, 0);
  const EvaluateScreeningResponse response =
      WithTime("isotretinoin_last_dose", last_dose, BerlinTime(2027, 3, 28, 9, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_CONTRAINDICATED, "isotretinoin_within_6_months",
                   "2027-03-28 10:00:00 CEST");
  EXPECT_EQ(InUtc(response.until_time()), "2027-03-28 08:00:00 UTC");
  ExpectCleared(WithTime("isotretinoin_last_dose", last_dose, BerlinTime(2027, 3, 28, 10, 0)));
}

TEST_F(MicroneedlingScreeningTest, IsotretinoinWindowEndingInsideTheDstGap) {
  // Six months after 02:30 is 02:30 on 28 March 2027, which Berlin skips:
  // the window ends when the gap does, at 03:00 CEST (01:00 UTC).
  const absl::Time last_dose = BerlinTime(2026, 9, 28, 2, 30);
  const EvaluateScreeningResponse response =
      WithTime("isotretinoin_last_dose", last_dose, UtcTime(2027, 3, 28, 0, 59, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_CONTRAINDICATED, "isotretinoin_within_6_months",
                   "2027-03-28 03:00:00 CEST");
  EXPECT_EQ(InUtc(response.until_time()), "2027-03-28 01:00:00 UTC");
  ExpectCleared(WithTime("isotretinoin_last_dose", last_dose, UtcTime(2027, 3, 28, 1, 0)));
}

// --- Antihistamine: deferred for exactly 24 hours. -------------------------

TEST_F(MicroneedlingScreeningTest, AntihistamineDeferredForExactlyTwentyFourHours) {
  const absl::Time last_dose = BerlinTime(2027, 5, 4, 8, 0);
  ExpectRestricted(
      WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 5, 5, 7, 59, 59)),
      SCREENING_OUTCOME_DEFERRED, "antihistamine_within_24_hours", "2027-05-05 08:00:00 CEST");
  ExpectCleared(WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 5, 5, 8, 0)));
}

TEST_F(MicroneedlingScreeningTest, AntihistamineCountsElapsedHoursAcrossTheSpringDstNight) {
  // The night of 27/28 March 2027 has 23 hours: 24 hours after 12:00 CET is
  // 13:00 CEST on the clock, and 12:00 CEST the next day is still too soon.
  const absl::Time last_dose = BerlinTime(2027, 3, 27, 12, 0);
  const EvaluateScreeningResponse response =
      WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 3, 28, 12, 0));
  ExpectRestricted(response, SCREENING_OUTCOME_DEFERRED, "antihistamine_within_24_hours",
                   "2027-03-28 13:00:00 CEST");
  EXPECT_EQ(InUtc(response.until_time()), "2027-03-28 11:00:00 UTC");
  EXPECT_EQ(test_time::FromProto(response.until_time()) - last_dose, absl::Hours(24));
  ExpectCleared(WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 3, 28, 13, 0)));
}

TEST_F(MicroneedlingScreeningTest, AntihistamineCountsElapsedHoursAcrossTheAutumnDstNight) {
  // The night of 30/31 October 2027 has 25 hours: 24 hours after 12:00 CEST
  // is 11:00 CET on the clock.
  const absl::Time last_dose = BerlinTime(2027, 10, 30, 12, 0);
  const EvaluateScreeningResponse response =
      WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 10, 31, 10, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_DEFERRED, "antihistamine_within_24_hours",
                   "2027-10-31 11:00:00 CET");
  EXPECT_EQ(InUtc(response.until_time()), "2027-10-31 10:00:00 UTC");
  ExpectCleared(WithTime("antihistamine_last_dose", last_dose, BerlinTime(2027, 10, 31, 11, 0)));
}

// --- Sun exposure: deferred for exactly 12 hours. ---------------------------

TEST_F(MicroneedlingScreeningTest, SunExposureDeferredForExactlyTwelveHours) {
  const absl::Time exposure = BerlinTime(2027, 6, 10, 14, 0);
  ExpectRestricted(WithTime("sun_exposure_last", exposure, BerlinTime(2027, 6, 11, 1, 59, 59)),
                   SCREENING_OUTCOME_DEFERRED, "sun_within_12_hours", "2027-06-11 02:00:00 CEST");
  ExpectCleared(WithTime("sun_exposure_last", exposure, BerlinTime(2027, 6, 11, 2, 0)));
}

TEST_F(MicroneedlingScreeningTest, SunExposureCountsElapsedHoursAcrossTheAutumnDstNight) {
  const absl::Time exposure = BerlinTime(2027, 10, 30, 20, 0);
  const EvaluateScreeningResponse response =
      WithTime("sun_exposure_last", exposure, BerlinTime(2027, 10, 31, 6, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_DEFERRED, "sun_within_12_hours",
                   "2027-10-31 07:00:00 CET");
  EXPECT_EQ(InUtc(response.until_time()), "2027-10-31 06:00:00 UTC");
}

// --- Retinoids and vitamin C: deferred for 3 calendar days. ----------------

TEST_F(MicroneedlingScreeningTest, ActivesDeferredForThreeDays) {
  const absl::Time last_use = BerlinTime(2027, 5, 3, 21, 0);
  ExpectRestricted(
      WithTime("retinoid_or_vitamin_c_last_use", last_use, BerlinTime(2027, 5, 6, 20, 59)),
      SCREENING_OUTCOME_DEFERRED, "actives_within_3_days", "2027-05-06 21:00:00 CEST");
  ExpectCleared(
      WithTime("retinoid_or_vitamin_c_last_use", last_use, BerlinTime(2027, 5, 6, 21, 0)));
}

TEST_F(MicroneedlingScreeningTest, ActivesCalendarDaysKeepLocalTimeAcrossSpringDst) {
  // 3 calendar days after 18:00 CET on 26 March is 18:00 CEST on 29 March,
  // only 71 elapsed hours later.
  const absl::Time last_use = BerlinTime(2027, 3, 26, 18, 0);
  const EvaluateScreeningResponse response =
      WithTime("retinoid_or_vitamin_c_last_use", last_use, BerlinTime(2027, 3, 29, 17, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_DEFERRED, "actives_within_3_days",
                   "2027-03-29 18:00:00 CEST");
  EXPECT_EQ(test_time::FromProto(response.until_time()) - last_use, absl::Hours(71));
  ExpectCleared(
      WithTime("retinoid_or_vitamin_c_last_use", last_use, BerlinTime(2027, 3, 29, 18, 0)));
}

// --- Peels and laser: deferred for 7 calendar days. ------------------------

TEST_F(MicroneedlingScreeningTest, PeelOrLaserDeferredForSevenDays) {
  const absl::Time treatment = BerlinTime(2027, 5, 3, 9, 0);
  ExpectRestricted(WithTime("peel_or_laser_last", treatment, BerlinTime(2027, 5, 10, 8, 59)),
                   SCREENING_OUTCOME_DEFERRED, "peel_or_laser_within_7_days",
                   "2027-05-10 09:00:00 CEST");
  ExpectCleared(WithTime("peel_or_laser_last", treatment, BerlinTime(2027, 5, 10, 9, 0)));
}

TEST_F(MicroneedlingScreeningTest, PeelOrLaserCalendarDaysKeepLocalTimeAcrossAutumnDst) {
  const absl::Time treatment = BerlinTime(2027, 10, 28, 9, 0);
  const EvaluateScreeningResponse response =
      WithTime("peel_or_laser_last", treatment, BerlinTime(2027, 11, 4, 8, 59));
  ExpectRestricted(response, SCREENING_OUTCOME_DEFERRED, "peel_or_laser_within_7_days",
                   "2027-11-04 09:00:00 CET");
  EXPECT_EQ(test_time::FromProto(response.until_time()) - treatment, absl::Hours(7 * 24 + 1));
}

// --- Other medications: clinician review. ----------------------------------

TEST_F(MicroneedlingScreeningTest, OtherMedicationsYesNeedsReviewWithoutUntilTime) {
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 10, 9, 0));
  AnswerYes(request, "other_medications");
  const EvaluateScreeningResponse response = EvaluateOne(request);
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_NEEDS_REVIEW);
  EXPECT_FALSE(response.has_until_time());
  ASSERT_EQ(response.findings_size(), 1);
  EXPECT_EQ(response.findings(0).rule_id(), "medications_need_review");
  EXPECT_EQ(response.findings(0).outcome(), SCREENING_OUTCOME_NEEDS_REVIEW);
  EXPECT_FALSE(response.findings(0).has_until_time());
  EXPECT_FALSE(response.findings(0).explanation().empty());
}

TEST_F(MicroneedlingScreeningTest, OtherMedicationsNoIsCleared) {
  // Request() answers "no" to the yes/no question.
  const EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 10, 9, 0));
  ExpectCleared(EvaluateOne(request));
}

// --- Several findings: the most restrictive outcome wins. ------------------

TEST_F(MicroneedlingScreeningTest, ContraindicationOutranksDeferralAndReview) {
  const absl::Time session = BerlinTime(2027, 3, 10, 10, 0);
  EvaluateScreeningRequest request = Request(session);
  AnswerTime(request, "isotretinoin_last_dose", BerlinTime(2026, 10, 1, 9, 0));
  AnswerTime(request, "antihistamine_last_dose", BerlinTime(2027, 3, 9, 20, 0));
  AnswerYes(request, "other_medications");
  const EvaluateScreeningResponse response = EvaluateOne(request);
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_EQ(InBerlin(response.until_time()), "2027-04-01 09:00:00 CEST");
  ASSERT_EQ(response.findings_size(), 3);
  // Findings come in the protocol's rule order, each with its own outcome.
  EXPECT_EQ(response.findings(0).rule_id(), "isotretinoin_within_6_months");
  EXPECT_EQ(response.findings(0).outcome(), SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_EQ(response.findings(1).rule_id(), "antihistamine_within_24_hours");
  EXPECT_EQ(response.findings(1).outcome(), SCREENING_OUTCOME_DEFERRED);
  EXPECT_EQ(InBerlin(response.findings(1).until_time()), "2027-03-10 20:00:00 CET");
  EXPECT_EQ(response.findings(2).rule_id(), "medications_need_review");
  EXPECT_EQ(response.findings(2).outcome(), SCREENING_OUTCOME_NEEDS_REVIEW);
}

TEST_F(MicroneedlingScreeningTest, SeveralDeferralsLiftWithTheLatest) {
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 7, 10, 0));
  AnswerTime(request, "sun_exposure_last", BerlinTime(2027, 5, 7, 8, 0));  // 20:00 today
  AnswerTime(request, "retinoid_or_vitamin_c_last_use", BerlinTime(2027, 5, 6, 22, 0));
  AnswerTime(request, "peel_or_laser_last", BerlinTime(2027, 5, 3, 15, 0));  // 10 May 15:00
  const EvaluateScreeningResponse response = EvaluateOne(request);
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_DEFERRED);
  EXPECT_EQ(InBerlin(response.until_time()), "2027-05-10 15:00:00 CEST");
  EXPECT_EQ(response.findings_size(), 3);
}

TEST_F(MicroneedlingScreeningTest, DeferralOutranksReview) {
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 7, 10, 0));
  AnswerTime(request, "peel_or_laser_last", BerlinTime(2027, 5, 3, 15, 0));
  AnswerYes(request, "other_medications");
  const EvaluateScreeningResponse response = EvaluateOne(request);
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_DEFERRED);
  EXPECT_EQ(InBerlin(response.until_time()), "2027-05-10 15:00:00 CEST");
  EXPECT_EQ(response.findings_size(), 2);
}

TEST_F(MicroneedlingScreeningTest, UntilTimeIsWhenTheLastTimedRestrictionLifts) {
  // The contraindication lifts on 11 March but the peel deferral lasts until
  // 16 March: the patient is first treatable on 16 March, so booking on the
  // 11th must not be offered.
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 3, 10, 10, 0));
  AnswerTime(request, "isotretinoin_last_dose", BerlinTime(2026, 9, 11, 9, 0));
  AnswerTime(request, "peel_or_laser_last", BerlinTime(2027, 3, 9, 9, 0));
  const EvaluateScreeningResponse response = EvaluateOne(request);
  EXPECT_EQ(response.outcome(), SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_EQ(InBerlin(response.until_time()), "2027-03-16 09:00:00 CET");
  ASSERT_EQ(response.findings_size(), 2);
  EXPECT_EQ(InBerlin(response.findings(0).until_time()), "2027-03-11 09:00:00 CET");
  EXPECT_EQ(InBerlin(response.findings(1).until_time()), "2027-03-16 09:00:00 CET");
}

// --- Malformed answers. -----------------------------------------------------

TEST_F(MicroneedlingScreeningTest, UnansweredQuestionIsRefusedByName) {
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 7, 10, 0));
  auto* answers = request.mutable_answers();
  for (int i = 0; i < answers->size(); ++i) {
    if (answers->Get(i).question_id() == "antihistamine_last_dose") {
      answers->DeleteSubrange(i, 1);
      break;
    }
  }
  const absl::StatusOr<EvaluateScreeningResponse> response =
      protocol::EvaluateDeclaredScreening(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("antihistamine_last_dose"));
  EXPECT_THAT(response.status().message(), Not(HasSubstr("isotretinoin_last_dose")));
}

TEST_F(MicroneedlingScreeningTest, UnknownQuestionIsRefusedByName) {
  EvaluateScreeningRequest request = Request(BerlinTime(2027, 5, 7, 10, 0));
  request.add_answers()->set_question_id("pregnant");
  const absl::StatusOr<EvaluateScreeningResponse> response =
      protocol::EvaluateDeclaredScreening(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("`pregnant`"));
  EXPECT_THAT(response.status().message(), HasSubstr("answers[6].question_id"));
}

}  // namespace
}  // namespace clinicd::plugins::microneedling
