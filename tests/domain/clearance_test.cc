// Clearance at its boundaries: a consent's state at the session time
// (expiry is exclusive, withdrawal wins, a new form version supersedes only
// when it asks for consent again), the 30-day screening validity, timed
// deferrals and contraindications that lift by themselves, and clinician
// review that overrides the evaluated outcome. A small hand-made treatment
// type keeps the rules visible.

#include "services/domain/clearance.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace clinicd::domain {
namespace {

using clinic::v1::Clearance;
using clinic::v1::ScreeningFinding;
using clinic::v1::Consent;
using clinic::v1::Screening;
using clinic::v1::ScreeningOutcome;
using clinic::v1::TreatmentType;

constexpr char kCurrentForm[] = "treatmentTypes/peel/consentForms/2";
constexpr char kOldForm[] = "treatmentTypes/peel/consentForms/1";

// 2027-05-10 10:00 UTC, a session time with nothing special about it.
absl::Time Session() {
  return absl::FromCivil(absl::CivilSecond(2027, 5, 10, 10, 0, 0), absl::UTCTimeZone());
}

// A treatment whose current consent form is version 2.
TreatmentType PeelType(bool requires_reconsent = true) {
  TreatmentType type;
  type.set_name("treatmentTypes/peel");
  type.set_display_name("Chemical peel");
  type.mutable_consent_form()->set_version("2");
  type.mutable_consent_form()->set_text("I agree to the peel.");
  type.mutable_consent_form()->set_requires_reconsent(requires_reconsent);
  return type;
}

// A consent to `form` signed 30 days before the session, expiring at `expire`.
Consent SignedConsent(absl::Time expire, const std::string& form = kCurrentForm) {
  Consent consent;
  consent.set_name("clinics/c/patients/p/consents/1");
  consent.set_consent_form(form);
  *consent.mutable_sign_time() = ToProtoTime(Session() - absl::Hours(24 * 30));
  *consent.mutable_expire_time() = ToProtoTime(expire);
  consent.set_state(clinic::v1::CONSENT_STATE_ACTIVE);
  return consent;
}

// A consent valid well beyond the session.
Consent GoodConsent() { return SignedConsent(Session() + absl::Hours(24 * 300)); }

// A screening submitted at `submitted` with `outcome`.
Screening ScreeningAt(absl::Time submitted, ScreeningOutcome outcome) {
  Screening screening;
  screening.set_name("clinics/c/patients/p/screenings/1");
  screening.set_treatment_type("treatmentTypes/peel");
  *screening.mutable_create_time() = ToProtoTime(submitted);
  *screening.mutable_evaluate_time() = ToProtoTime(submitted);
  screening.set_outcome(outcome);
  return screening;
}

// A screening submitted a day before the session with `outcome`, lifting at
// `until` when given.
Screening RecentScreening(ScreeningOutcome outcome, absl::Time until = absl::InfinitePast()) {
  Screening screening = ScreeningAt(Session() - absl::Hours(24), outcome);
  if (until != absl::InfinitePast()) *screening.mutable_until_time() = ToProtoTime(until);
  return screening;
}

// The clearance for `type` at `time` with `consents` and `screening`.
Clearance Evaluate(const TreatmentType& type, std::vector<Consent> consents,
                   std::optional<Screening> screening, absl::Time time) {
  ClearanceInput input;
  input.type = &type;
  input.consents = std::move(consents);
  if (screening) input.screenings.push_back(*std::move(screening));
  input.time = time;
  return EvaluateClearance(input);
}

// The clearance for `type` at `time` with `consents` and `screenings` (oldest first).
Clearance EvaluateAll(const TreatmentType& type, std::vector<Consent> consents,
                      std::vector<Screening> screenings, absl::Time time) {
  ClearanceInput input;
  input.type = &type;
  input.consents = std::move(consents);
  input.screenings = std::move(screenings);
  input.time = time;
  return EvaluateClearance(input);
}

// A finding of rule `rule_id`, lifting at `until` when given.
clinic::v1::ScreeningFinding Finding(const std::string& rule_id, ScreeningOutcome outcome,
                                     std::optional<absl::Time> until = std::nullopt) {
  clinic::v1::ScreeningFinding finding;
  finding.set_rule_id(rule_id);
  finding.set_outcome(outcome);
  finding.set_explanation(rule_id + " explained");
  if (until) *finding.mutable_until_time() = ToProtoTime(*until);
  return finding;
}

// The reasons of `clearance` in order.
std::vector<std::string> Reasons(const Clearance& clearance) {
  std::vector<std::string> reasons;
  for (const auto& reason : clearance.reasons()) reasons.push_back(reason.reason());
  return reasons;
}

std::string InUtc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone());
}

std::string InUtc(const google::protobuf::Timestamp& time) { return InUtc(FromProtoTime(time)); }

using Strings = std::vector<std::string>;

TEST(ConsentStateTest, ExpiryAtTheSessionIsExpiredAndASecondLaterIsActive) {
  const TreatmentType type = PeelType();
  EXPECT_EQ(ConsentStateAt(SignedConsent(Session()), type, Session()),
            clinic::v1::CONSENT_STATE_EXPIRED)
      << "a consent expiring exactly at the session no longer covers it";
  EXPECT_EQ(ConsentStateAt(SignedConsent(Session() + absl::Seconds(1)), type, Session()),
            clinic::v1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(ConsentStateAt(SignedConsent(Session()), type, Session() - absl::Seconds(1)),
            clinic::v1::CONSENT_STATE_ACTIVE)
      << "one second before its expiry a consent is still active";
}

TEST(ConsentStateTest, WithdrawalWinsOverEveryOtherState) {
  const TreatmentType type = PeelType();
  Consent consent = GoodConsent();
  *consent.mutable_withdraw_time() = ToProtoTime(Session() - absl::Hours(1));
  EXPECT_EQ(ConsentStateAt(consent, type, Session()), clinic::v1::CONSENT_STATE_WITHDRAWN);

  Consent expired_and_old = SignedConsent(Session() - absl::Hours(1), kOldForm);
  *expired_and_old.mutable_withdraw_time() = ToProtoTime(Session() - absl::Hours(2));
  EXPECT_EQ(ConsentStateAt(expired_and_old, type, Session()),
            clinic::v1::CONSENT_STATE_WITHDRAWN);
}

TEST(ConsentStateTest, OldVersionIsSupersededOnlyWhenTheCurrentOneAsksForConsentAgain) {
  const Consent old_version = SignedConsent(Session() + absl::Hours(24), kOldForm);
  EXPECT_EQ(ConsentStateAt(old_version, PeelType(/*requires_reconsent=*/true), Session()),
            clinic::v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_EQ(ConsentStateAt(old_version, PeelType(/*requires_reconsent=*/false), Session()),
            clinic::v1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(ConsentStateAt(GoodConsent(), PeelType(/*requires_reconsent=*/true), Session()),
            clinic::v1::CONSENT_STATE_ACTIVE)
      << "the current version is never superseded";
}

TEST(ConsentStateTest, FormVersionIsTheLastPartOfTheFormName) {
  EXPECT_EQ(FormVersionOf(GoodConsent()), "2");
  EXPECT_EQ(FormVersionOf(SignedConsent(Session(), kOldForm)), "1");
}

TEST(ClearanceTest, NothingOnFileNeedsConsentAndScreeningAndNamesNoTime) {
  const TreatmentType type = PeelType();
  const Clearance clearance = Evaluate(type, {}, std::nullopt, Session());
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"CONSENT_REQUIRED", "SCREENING_REQUIRED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time())
      << "only signing and screening can clear this, not waiting";
  for (const auto& reason : clearance.reasons()) {
    EXPECT_FALSE(reason.description().empty()) << reason.reason();
    EXPECT_FALSE(reason.has_until_time()) << reason.reason();
  }
  EXPECT_NE(clearance.reasons(0).description().find("v2"), std::string::npos)
      << "the consent reason names the form version to sign: "
      << clearance.reasons(0).description();
}

TEST(ClearanceTest, ConsentAndClearingScreeningAreTreatable) {
  const Clearance clearance =
      Evaluate(PeelType(), {GoodConsent()},
               RecentScreening(clinic::v1::SCREENING_OUTCOME_CLEARED), Session());
  EXPECT_TRUE(clearance.treatable());
  EXPECT_TRUE(clearance.reasons().empty());
  EXPECT_FALSE(clearance.has_earliest_treatable_time());
}

TEST(ClearanceTest, OnlyAnActiveConsentCounts) {
  const TreatmentType type = PeelType();
  const Screening cleared = RecentScreening(clinic::v1::SCREENING_OUTCOME_CLEARED);
  Consent withdrawn = GoodConsent();
  *withdrawn.mutable_withdraw_time() = ToProtoTime(Session() - absl::Hours(1));
  const Consent expired = SignedConsent(Session());
  const Consent superseded = SignedConsent(Session() + absl::Hours(24), kOldForm);

  const Clearance none = Evaluate(type, {withdrawn, expired, superseded}, cleared, Session());
  EXPECT_FALSE(none.treatable());
  EXPECT_EQ(Reasons(none), (Strings{"CONSENT_REQUIRED"}));
  EXPECT_FALSE(none.has_earliest_treatable_time());

  const Clearance one =
      Evaluate(type, {withdrawn, expired, GoodConsent(), superseded}, cleared, Session());
  EXPECT_TRUE(one.treatable()) << "one active consent among stale ones is enough";
}

TEST(ClearanceTest, ScreeningCountsForThirtyDaysAndNotASecondMore) {
  const TreatmentType type = PeelType();
  const absl::Duration thirty_days = absl::Hours(24 * 30);
  const Clearance on_the_day =
      Evaluate(type, {GoodConsent()},
               ScreeningAt(Session() - thirty_days, clinic::v1::SCREENING_OUTCOME_CLEARED),
               Session());
  EXPECT_TRUE(on_the_day.treatable()) << "a screening exactly 30 days before still counts";

  const Clearance too_old = Evaluate(
      type, {GoodConsent()},
      ScreeningAt(Session() - thirty_days - absl::Seconds(1),
                  clinic::v1::SCREENING_OUTCOME_CLEARED),
      Session());
  EXPECT_FALSE(too_old.treatable());
  EXPECT_EQ(Reasons(too_old), (Strings{"SCREENING_REQUIRED"}));
  EXPECT_FALSE(too_old.has_earliest_treatable_time());
  EXPECT_NE(too_old.reasons(0).description().find("2027-04-10"), std::string::npos)
      << "names the day of the stale screening: " << too_old.reasons(0).description();
}

TEST(ClearanceTest, StaleScreeningAsksForANewOneAndItsDatedRestrictionStillHolds) {
  const Screening stale =
      ScreeningAt(Session() - absl::Hours(24 * 31), clinic::v1::SCREENING_OUTCOME_DEFERRED);
  Screening with_until = stale;
  *with_until.mutable_until_time() = ToProtoTime(Session() + absl::Hours(5));
  const Clearance clearance = Evaluate(PeelType(), {GoodConsent()}, with_until, Session());
  EXPECT_EQ(Reasons(clearance), (Strings{"SCREENING_REQUIRED", "DEFERRED"}))
      << "an old screening never makes a known restriction lapse";
  EXPECT_FALSE(clearance.has_earliest_treatable_time())
      << "a new screening is needed; waiting does not help";
  EXPECT_EQ(InUtc(clearance.reasons(1).until_time()), InUtc(Session() + absl::Hours(5)));
  // Booking only looks at the restriction: it lifts by itself.
  const Clearance blocking = BlockingForBooking(clearance, /*require_consent_at_booking=*/true);
  EXPECT_EQ(Reasons(blocking), (Strings{"DEFERRED"}));
  ASSERT_TRUE(blocking.has_earliest_treatable_time());
  EXPECT_EQ(InUtc(blocking.earliest_treatable_time()), InUtc(Session() + absl::Hours(5)));
}

TEST(ClearanceTest, AStaleScreeningsQuestionForAClinicianIsNotAsked) {
  const Screening stale =
      ScreeningAt(Session() - absl::Hours(24 * 31), clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  const Clearance clearance = Evaluate(PeelType(), {GoodConsent()}, stale, Session());
  EXPECT_EQ(Reasons(clearance), (Strings{"SCREENING_REQUIRED"}))
      << "the new screening will ask again if it still applies";
}

TEST(ClearanceTest, OlderScreeningsDatedRestrictionsHoldAfterANewerOne) {
  const TreatmentType type = PeelType();
  const absl::Time lifts = Session() + absl::Hours(24 * 60);
  Screening old = ScreeningAt(Session() - absl::Hours(24 * 40),
                              clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  *old.add_findings() =
      Finding("isotretinoin", clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED, lifts);
  Screening fresh = RecentScreening(clinic::v1::SCREENING_OUTCOME_CLEARED);

  const Clearance before = EvaluateAll(type, {GoodConsent()}, {old, fresh}, Session());
  EXPECT_EQ(Reasons(before), (Strings{"CONTRAINDICATED"}));
  ASSERT_TRUE(before.has_earliest_treatable_time());
  EXPECT_EQ(InUtc(before.earliest_treatable_time()), InUtc(lifts));
  EXPECT_NE(before.reasons(0).description().find("isotretinoin explained"), std::string::npos)
      << before.reasons(0).description();

  // An old untimed finding is not carried: the newer answers replace it.
  Screening old_yes = ScreeningAt(Session() - absl::Hours(24 * 40),
                                  clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  *old_yes.add_findings() = Finding("medications", clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  EXPECT_TRUE(EvaluateAll(type, {GoodConsent()}, {old_yes, fresh}, Session()).treatable());
}

TEST(ClearanceTest, EachFindingHoldsUntilItsOwnTime) {
  const TreatmentType type = PeelType();
  Screening screening = RecentScreening(clinic::v1::SCREENING_OUTCOME_DEFERRED);
  const absl::Time antihistamine = Session() + absl::Hours(10);
  *screening.add_findings() =
      Finding("antihistamine", clinic::v1::SCREENING_OUTCOME_DEFERRED, antihistamine);
  *screening.add_findings() = Finding("medications", clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);

  const Clearance before = Evaluate(type, {GoodConsent()}, screening, Session());
  EXPECT_EQ(Reasons(before), (Strings{"REVIEW_REQUIRED", "DEFERRED"}));
  EXPECT_FALSE(before.has_earliest_treatable_time()) << "a review is needed as well";
  const Clearance after = Evaluate(type, {GoodConsent()}, screening, antihistamine);
  EXPECT_EQ(Reasons(after), (Strings{"REVIEW_REQUIRED"}))
      << "the deferral lifted; the question for a clinician did not";
}

TEST(ClearanceTest, AReviewSpeaksForItsScreeningAndEveryEarlierOne) {
  const TreatmentType type = PeelType();
  const absl::Time lifts = Session() + absl::Hours(24 * 60);
  Screening old = ScreeningAt(Session() - absl::Hours(24 * 40),
                              clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  *old.add_findings() =
      Finding("isotretinoin", clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED, lifts);
  Screening reviewed = RecentScreening(clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  reviewed.mutable_review()->set_outcome(clinic::v1::SCREENING_OUTCOME_CLEARED);
  reviewed.mutable_review()->set_reason("Dose was topical, not oral.");
  EXPECT_TRUE(EvaluateAll(type, {GoodConsent()}, {old, reviewed}, Session()).treatable());

  // A clinician's restriction holds through newer screenings until reviewed again.
  Screening restricted = reviewed;
  restricted.mutable_review()->set_outcome(clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  Screening newer = RecentScreening(clinic::v1::SCREENING_OUTCOME_CLEARED);
  *newer.mutable_create_time() = ToProtoTime(Session() - absl::Hours(1));
  const Clearance held = EvaluateAll(type, {GoodConsent()}, {restricted, newer}, Session());
  EXPECT_EQ(Reasons(held), (Strings{"CONTRAINDICATED"}));
  EXPECT_FALSE(held.has_earliest_treatable_time());
}

TEST(ClearanceTest, BookingIsRefusedOnlyForRestrictionsAndAConsentTheClinicAsksFor) {
  const Clearance nothing = Evaluate(PeelType(), {}, std::nullopt, Session());
  EXPECT_TRUE(BlockingForBooking(nothing, false).treatable())
      << "consent and screening can follow before the session";
  const Clearance needs_consent = BlockingForBooking(nothing, true);
  EXPECT_EQ(Reasons(needs_consent), (Strings{"CONSENT_REQUIRED"}));
  EXPECT_FALSE(needs_consent.has_earliest_treatable_time());
}

TEST(ClearanceTest, DeferralLiftsAtItsUntilTime) {
  const TreatmentType type = PeelType();
  const absl::Time until = Session() + absl::Hours(3);
  const Screening deferred = RecentScreening(clinic::v1::SCREENING_OUTCOME_DEFERRED, until);

  const Clearance before = Evaluate(type, {GoodConsent()}, deferred, until - absl::Seconds(1));
  EXPECT_FALSE(before.treatable());
  ASSERT_EQ(Reasons(before), (Strings{"DEFERRED"}));
  ASSERT_TRUE(before.reasons(0).has_until_time());
  EXPECT_EQ(InUtc(before.reasons(0).until_time()), InUtc(until));
  ASSERT_TRUE(before.has_earliest_treatable_time());
  EXPECT_EQ(InUtc(before.earliest_treatable_time()), InUtc(until));

  const Clearance at = Evaluate(type, {GoodConsent()}, deferred, until);
  EXPECT_TRUE(at.treatable()) << "treatable from the until time on";
  EXPECT_TRUE(at.reasons().empty());
  EXPECT_FALSE(at.has_earliest_treatable_time());
}

TEST(ClearanceTest, ContraindicationLiftsAtItsUntilTime) {
  const TreatmentType type = PeelType();
  const absl::Time until = Session() + absl::Hours(24 * 90);
  const Screening contraindicated =
      RecentScreening(clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED, until);

  const Clearance before = Evaluate(type, {GoodConsent()}, contraindicated, Session());
  EXPECT_FALSE(before.treatable());
  ASSERT_EQ(Reasons(before), (Strings{"CONTRAINDICATED"}));
  EXPECT_EQ(InUtc(before.reasons(0).until_time()), InUtc(until));
  ASSERT_TRUE(before.has_earliest_treatable_time());
  EXPECT_EQ(InUtc(before.earliest_treatable_time()), InUtc(until));

  // A day before it lifts, screened again (so the screening is recent).
  Screening fresh = ScreeningAt(until - absl::Hours(24),
                                clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  *fresh.mutable_until_time() = ToProtoTime(until);
  const Clearance second_before = Evaluate(type, {GoodConsent()}, fresh, until - absl::Seconds(1));
  EXPECT_FALSE(second_before.treatable());
  EXPECT_EQ(Reasons(second_before), (Strings{"CONTRAINDICATED"}));
  const Clearance at = Evaluate(type, {GoodConsent()}, fresh, until);
  EXPECT_TRUE(at.treatable());
}

TEST(ClearanceTest, TimedDeferralWithoutConsentNamesNoEarliestTime) {
  const absl::Time until = Session() + absl::Hours(3);
  const Clearance clearance =
      Evaluate(PeelType(), {}, RecentScreening(clinic::v1::SCREENING_OUTCOME_DEFERRED, until),
               Session());
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"CONSENT_REQUIRED", "DEFERRED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time())
      << "waiting alone does not clear a missing consent";
  ASSERT_TRUE(clearance.reasons(1).has_until_time());
  EXPECT_EQ(InUtc(clearance.reasons(1).until_time()), InUtc(until));
}

TEST(ClearanceTest, ScreeningThatNeedsReviewWaitsForAClinician) {
  const Clearance clearance =
      Evaluate(PeelType(), {GoodConsent()},
               RecentScreening(clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW), Session());
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"REVIEW_REQUIRED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time());
}

TEST(ClearanceTest, ClinicianReviewThatClearsOverridesTheEvaluation) {
  const TreatmentType type = PeelType();
  Screening needs_review = RecentScreening(clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  needs_review.mutable_review()->set_reviewer("clinics/c/practitioners/dr");
  needs_review.mutable_review()->set_outcome(clinic::v1::SCREENING_OUTCOME_CLEARED);
  needs_review.mutable_review()->set_reason("Supplements are harmless here.");
  EXPECT_TRUE(Evaluate(type, {GoodConsent()}, needs_review, Session()).treatable());

  Screening contraindicated = RecentScreening(clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED,
                                              Session() + absl::Hours(24 * 90));
  *contraindicated.mutable_review() = needs_review.review();
  const Clearance overridden = Evaluate(type, {GoodConsent()}, contraindicated, Session());
  EXPECT_TRUE(overridden.treatable()) << "the clinician's decision replaces the rule's";
  EXPECT_FALSE(overridden.has_earliest_treatable_time());
}

TEST(ClearanceTest, ReviewThatDefersWithoutATimeNamesNoEarliestTime) {
  Screening screening = RecentScreening(clinic::v1::SCREENING_OUTCOME_NEEDS_REVIEW);
  screening.mutable_review()->set_reviewer("clinics/c/practitioners/dr");
  screening.mutable_review()->set_outcome(clinic::v1::SCREENING_OUTCOME_DEFERRED);
  screening.mutable_review()->set_reason("Wait for the GP's answer on the blood thinner.");
  const Clearance clearance = Evaluate(PeelType(), {GoodConsent()}, screening, Session());
  EXPECT_FALSE(clearance.treatable());
  ASSERT_EQ(Reasons(clearance), (Strings{"DEFERRED"}));
  EXPECT_FALSE(clearance.reasons(0).has_until_time());
  EXPECT_FALSE(clearance.has_earliest_treatable_time())
      << "only another review can clear an open-ended deferral";

  const Clearance much_later =
      Evaluate(PeelType(), {GoodConsent()}, screening, Session() + absl::Hours(24 * 20));
  EXPECT_FALSE(much_later.treatable()) << "an open-ended deferral never lifts by itself";
}

TEST(ClearanceTest, ReviewThatContraindicatesWithoutATimeNamesNoEarliestTime) {
  Screening screening = RecentScreening(clinic::v1::SCREENING_OUTCOME_CLEARED);
  screening.mutable_review()->set_reviewer("clinics/c/practitioners/dr");
  screening.mutable_review()->set_outcome(clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  screening.mutable_review()->set_reason("Active infection on the treatment area.");
  const Clearance clearance = Evaluate(PeelType(), {GoodConsent()}, screening, Session());
  EXPECT_FALSE(clearance.treatable());
  EXPECT_EQ(Reasons(clearance), (Strings{"CONTRAINDICATED"}));
  EXPECT_FALSE(clearance.has_earliest_treatable_time());
}

}  // namespace
}  // namespace clinicd::domain
