// The microneedling protocol's data: what the clinic asked for, and the
// invariants every protocol must keep (ids, offsets, patient-facing texts).

#include "plugins/microneedling/microneedling_protocol.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "clinicd/protocol_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::plugins::microneedling {
namespace {

using clinic::v1::Period;
using clinic::v1::TimedMessage;
using test_time::Berlin;
using test_time::BerlinTime;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr size_t kMaxTitleLength = 80;

// True for `lower_snake_case` ids.
bool IsLowerSnakeCase(const std::string& id) {
  if (id.empty() || !absl::ascii_islower(static_cast<unsigned char>(id.front()))) return false;
  if (id.back() == '_' || id.find("__") != std::string::npos) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '_') return false;
  }
  return true;
}

// Minutes of a google.protobuf.Duration.
int64_t MinutesOf(const google::protobuf::Duration& duration) { return duration.seconds() / 60; }

// Where `offset` lands relative to an appointment, as a signed duration
// (calendar parts measured from a date far from any DST change).
absl::Duration Signed(const Period& offset) {
  const absl::Time start = BerlinTime(2027, 6, 15, 12, 0);
  return protocol::AddPeriod(start, offset, Berlin()) - start;
}

// True when every part of `offset` points the same way as `sign` (±1).
bool AllPartsHaveSign(const Period& offset, int sign) {
  const auto ok = [sign](int64_t value) { return value == 0 || (value > 0) == (sign > 0); };
  return ok(offset.months()) && ok(offset.days()) && ok(offset.duration().seconds()) &&
         ok(offset.duration().nanos());
}

// Checks the ids, titles and bodies of timed messages.
void ExpectWellFormed(const google::protobuf::RepeatedPtrField<TimedMessage>& messages,
                      std::set<std::string>& ids) {
  for (const TimedMessage& message : messages) {
    EXPECT_TRUE(IsLowerSnakeCase(message.id())) << message.id();
    EXPECT_TRUE(ids.insert(message.id()).second) << "duplicate id " << message.id();
    EXPECT_FALSE(message.title().empty()) << message.id();
    EXPECT_LE(message.title().size(), kMaxTitleLength) << message.id();
    EXPECT_FALSE(message.body().empty()) << message.id();
    EXPECT_GT(message.body().size(), message.title().size()) << message.id();
  }
}

class MicroneedlingProtocolTest : public ::testing::Test {
 protected:
  const clinic::v1::TreatmentType protocol_ = MicroneedlingProtocol();
};

TEST_F(MicroneedlingProtocolTest, IdentifiesItselfAndItsPlugin) {
  EXPECT_EQ(protocol_.name(), "treatmentTypes/microneedling");
  EXPECT_EQ(protocol_.plugin(), "plugins/microneedling");
  EXPECT_EQ(protocol_.display_name(), "Microneedling");
  EXPECT_FALSE(protocol_.description().empty());
  EXPECT_EQ(protocol_.description().find('\n'), std::string::npos) << "one paragraph";
}

TEST_F(MicroneedlingProtocolTest, SessionDurationsAndRoom) {
  EXPECT_EQ(MinutesOf(protocol_.durations().consultation()), 15);
  EXPECT_EQ(MinutesOf(protocol_.durations().numbing()), 30);
  EXPECT_EQ(MinutesOf(protocol_.durations().procedure()), 45);
  EXPECT_EQ(MinutesOf(protocol_.durations().turnaround()), 15);
  EXPECT_THAT(protocol_.required_room_capabilities(), ElementsAre("microneedling_device"));
}

TEST_F(MicroneedlingProtocolTest, IndicationsAreUniqueWithTheirSeriesRules) {
  std::vector<std::pair<std::string, std::pair<int, int>>> seen;
  std::set<std::string> ids;
  for (const auto& indication : protocol_.indications()) {
    EXPECT_TRUE(IsLowerSnakeCase(indication.id())) << indication.id();
    EXPECT_TRUE(ids.insert(indication.id()).second) << "duplicate " << indication.id();
    EXPECT_FALSE(indication.display_name().empty()) << indication.id();
    const clinic::v1::SeriesRule& series = indication.series();
    seen.push_back({indication.id(), {series.min_sessions(), series.max_sessions()}});
    EXPECT_EQ(series.min_spacing().days(), 28) << indication.id();
    EXPECT_EQ(series.max_spacing().days(), 42) << indication.id();
    EXPECT_EQ(series.min_spacing().months(), 0) << indication.id();
    EXPECT_EQ(series.max_spacing().months(), 0) << indication.id();
    EXPECT_FALSE(series.min_spacing().has_duration()) << indication.id();
    EXPECT_FALSE(series.max_spacing().has_duration()) << indication.id();
  }
  const std::pair<int, int> scar{6, 8};
  const std::pair<int, int> standard{3, 6};
  EXPECT_THAT(seen, ElementsAre(std::pair{std::string("acne_scars"), scar},
                                std::pair{std::string("burn_scars"), scar},
                                std::pair{std::string("surgical_scars"), scar},
                                std::pair{std::string("stretch_marks"), scar},
                                std::pair{std::string("melasma"), standard},
                                std::pair{std::string("hyperpigmentation"), standard},
                                std::pair{std::string("sun_damage"), standard},
                                std::pair{std::string("enlarged_pores"), standard},
                                std::pair{std::string("fine_lines_wrinkles"), standard},
                                std::pair{std::string("skin_laxity"), standard},
                                std::pair{std::string("hair_loss"), standard}));
}

TEST_F(MicroneedlingProtocolTest, RepeatCourseAndRecall) {
  EXPECT_EQ(protocol_.repeat_course_interval().months(), 4);
  EXPECT_EQ(protocol_.repeat_course_interval().days(), 0);
  EXPECT_EQ(protocol_.recall_policy(), "recallPolicies/maintenance_6_12_months");
}

TEST_F(MicroneedlingProtocolTest, ScreeningQuestionsAreUniqueAndReadable) {
  std::set<std::string> ids;
  for (const auto& question : protocol_.screening_questions()) {
    EXPECT_TRUE(IsLowerSnakeCase(question.id())) << question.id();
    EXPECT_TRUE(ids.insert(question.id()).second) << "duplicate " << question.id();
    EXPECT_FALSE(question.text().empty()) << question.id();
    EXPECT_NE(question.answer_kind(), clinic::v1::ANSWER_KIND_UNSPECIFIED) << question.id();
  }
  EXPECT_EQ(ids, (std::set<std::string>{"isotretinoin_last_dose", "antihistamine_last_dose",
                                        "sun_exposure_last", "retinoid_or_vitamin_c_last_use",
                                        "peel_or_laser_last", "other_medications"}));
}

TEST_F(MicroneedlingProtocolTest, ScreeningRulesReadExistingQuestions) {
  std::map<std::string, clinic::v1::AnswerKind> kinds;
  for (const auto& question : protocol_.screening_questions()) {
    kinds[question.id()] = question.answer_kind();
  }
  std::set<std::string> rule_ids;
  std::set<std::string> questions_read;
  for (const auto& rule : protocol_.screening_rules()) {
    EXPECT_TRUE(IsLowerSnakeCase(rule.id())) << rule.id();
    EXPECT_TRUE(rule_ids.insert(rule.id()).second) << "duplicate " << rule.id();
    ASSERT_TRUE(kinds.count(rule.question_id())) << rule.id() << " reads " << rule.question_id();
    questions_read.insert(rule.question_id());
    EXPECT_NE(rule.effect(), clinic::v1::SCREENING_EFFECT_UNSPECIFIED) << rule.id();
    EXPECT_FALSE(rule.explanation().empty()) << rule.id();
    if (kinds[rule.question_id()] == clinic::v1::ANSWER_KIND_TIME) {
      EXPECT_GT(Signed(rule.window()), absl::ZeroDuration()) << rule.id();
    }
  }
  EXPECT_EQ(questions_read.size(), kinds.size()) << "every question feeds a rule";
}

TEST_F(MicroneedlingProtocolTest, ScreeningRulesHaveTheClinicsWindowsAndEffects) {
  using clinic::v1::SCREENING_EFFECT_CLINICIAN_REVIEW;
  using clinic::v1::SCREENING_EFFECT_CONTRAINDICATED_UNTIL;
  using clinic::v1::SCREENING_EFFECT_DEFER_UNTIL;
  std::map<std::string, std::pair<clinic::v1::ScreeningEffect, std::string>> by_question;
  for (const auto& rule : protocol_.screening_rules()) {
    by_question[rule.question_id()] = {rule.effect(), protocol::DescribePeriod(rule.window())};
  }
  using Rule = std::pair<clinic::v1::ScreeningEffect, std::string>;
  EXPECT_EQ(by_question["isotretinoin_last_dose"],
            Rule(SCREENING_EFFECT_CONTRAINDICATED_UNTIL, "6 months"));
  EXPECT_EQ(by_question["antihistamine_last_dose"], Rule(SCREENING_EFFECT_DEFER_UNTIL, "24 hours"));
  EXPECT_EQ(by_question["sun_exposure_last"], Rule(SCREENING_EFFECT_DEFER_UNTIL, "12 hours"));
  EXPECT_EQ(by_question["retinoid_or_vitamin_c_last_use"],
            Rule(SCREENING_EFFECT_DEFER_UNTIL, "3 days"));
  EXPECT_EQ(by_question["peel_or_laser_last"], Rule(SCREENING_EFFECT_DEFER_UNTIL, "1 week"));
  EXPECT_EQ(by_question["other_medications"], Rule(SCREENING_EFFECT_CLINICIAN_REVIEW, "no time"));
}

TEST_F(MicroneedlingProtocolTest, PreparationComesBeforeTheAppointment) {
  std::set<std::string> ids;
  ExpectWellFormed(protocol_.preparation(), ids);
  std::vector<std::string> offsets;
  for (const TimedMessage& message : protocol_.preparation()) {
    EXPECT_TRUE(AllPartsHaveSign(message.offset(), -1)) << message.id();
    EXPECT_LT(Signed(message.offset()), absl::ZeroDuration()) << message.id();
    offsets.push_back(protocol::DescribePeriod(message.offset()));
  }
  EXPECT_THAT(offsets, ElementsAre("-1 week", "-3 days", "-1 day", "-2 hours"));
}

TEST_F(MicroneedlingProtocolTest, AftercareComesAfterTheAppointmentInOrder) {
  std::set<std::string> ids;
  ExpectWellFormed(protocol_.aftercare(), ids);
  absl::Duration previous = absl::ZeroDuration();
  for (const TimedMessage& message : protocol_.aftercare()) {
    EXPECT_TRUE(AllPartsHaveSign(message.offset(), +1)) << message.id();
    EXPECT_GT(Signed(message.offset()), previous) << message.id();
    previous = Signed(message.offset());
  }
  ASSERT_FALSE(protocol_.aftercare().empty());
  EXPECT_EQ(protocol_.aftercare(protocol_.aftercare_size() - 1).offset().days(), 28);
}

TEST_F(MicroneedlingProtocolTest, AftercareSaysWhenToCallTheClinic) {
  const std::string first_evening = absl::AsciiStrToLower(protocol_.aftercare(0).body());
  EXPECT_THAT(first_evening, HasSubstr("call us"));
  EXPECT_THAT(first_evening, HasSubstr("fever"));
}

TEST_F(MicroneedlingProtocolTest, DayZeroAftercareCarriesTheFirstTwoDaysRestrictions) {
  ASSERT_EQ(protocol_.aftercare(0).id(), "aftercare_first_evening");
  const std::string first_evening = absl::AsciiStrToLower(protocol_.aftercare(0).body());
  for (const char* topic :
       {"48 hours", "make-up", "exercise", "sauna", "steam", "jacuzzi", "sun", "spf 30", "hat"}) {
    EXPECT_THAT(first_evening, HasSubstr(topic));
  }
  // The next day's message reminds of the same rest.
  const std::string next_day = absl::AsciiStrToLower(protocol_.aftercare(1).body());
  for (const char* topic : {"make-up", "sauna", "sun", "spf 30"}) {
    EXPECT_THAT(next_day, HasSubstr(topic));
  }
}

TEST_F(MicroneedlingProtocolTest, QuietHoursMoveTheSameEveningAftercareAndPreparationEarlier) {
  for (const TimedMessage& message : protocol_.aftercare()) {
    const bool same_evening = message.id() == "aftercare_first_evening";
    EXPECT_EQ(message.quiet_hours_shift(), same_evening ? clinic::v1::QUIET_HOURS_SHIFT_EARLIER
                                                        : clinic::v1::QUIET_HOURS_SHIFT_UNSPECIFIED)
        << message.id();
  }
  for (const TimedMessage& message : protocol_.preparation()) {
    EXPECT_EQ(message.quiet_hours_shift(), clinic::v1::QUIET_HOURS_SHIFT_EARLIER) << message.id();
  }
}

TEST_F(MicroneedlingProtocolTest, PreparationAndAftercareIdsDoNotCollide) {
  std::set<std::string> ids;
  ExpectWellFormed(protocol_.preparation(), ids);
  ExpectWellFormed(protocol_.aftercare(), ids);
}

TEST_F(MicroneedlingProtocolTest, ConsentFormIsVersionedAndInformed) {
  const clinic::v1::ConsentFormTemplate& consent = protocol_.consent_form();
  EXPECT_EQ(consent.version(), "1");
  EXPECT_EQ(consent.validity().months(), 12);
  EXPECT_EQ(consent.validity().days(), 0);
  EXPECT_TRUE(consent.requires_reconsent());
  const std::string text = absl::AsciiStrToLower(consent.text());
  for (const char* topic : {"numbing", "serum", "red", "bruising", "flaking", "weeks", "series",
                            "aftercare", "isotretinoin", "withdraw", "12 months"}) {
    EXPECT_THAT(text, HasSubstr(topic));
  }
}

}  // namespace
}  // namespace clinicd::plugins::microneedling
