// The booking rules (domain/booking_rules.h) without a database: every
// rule on both sides of its boundary, the refusal each one returns, and
// that the slot search offers exactly what the single-booking check accepts.

#include "services/domain/booking_rules.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"
#include "services/domain/availability.h"
#include "tests/testing/status_details.h"

namespace clinicd::domain {
namespace {

using test_util::ErrorInfoOf;
using test_util::ReasonOf;
using test_util::ViolationFields;

constexpr absl::Duration kMicro = absl::Microseconds(1);

// Monday 2027-01-04 (and days after it) at hh:mm UTC; the clinic is on UTC.
absl::Time At(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(2027, 1, 4 + day, hour, minute, 0), absl::UTCTimeZone());
}

clinic::v1::TreatmentType Microneedling() {
  clinic::v1::TreatmentType type;
  type.set_name("treatmentTypes/microneedling");
  type.set_display_name("Microneedling");
  type.mutable_durations()->mutable_procedure()->set_seconds(60 * 60);
  type.mutable_durations()->mutable_turnaround()->set_seconds(15 * 60);
  type.mutable_durations()->mutable_numbing()->set_seconds(30 * 60);
  type.add_required_room_capabilities("needling_device");
  clinic::v1::Indication* scars = type.add_indications();
  scars->set_id("acne_scars");
  scars->mutable_series()->mutable_min_spacing()->set_days(28);
  scars->mutable_series()->mutable_max_spacing()->set_days(42);
  type.mutable_repeat_course_interval()->set_months(4);
  type.mutable_consultation_visit()->mutable_duration()->set_seconds(30 * 60);
  return type;
}

class BookingRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.now = At(0, 8);
    context_.zone = absl::UTCTimeZone();
    context_.type = &type_;
    context_.length = LengthOf(type_, clinic::v1::VISIT_KIND_TREATMENT, false);
    PractitionerFacts practitioner;
    practitioner.practitioner.set_name("clinics/c/practitioners/p");
    practitioner.practitioner.set_active(true);
    practitioner.practitioner.add_treatment_types(type_.name());
    for (int day = 1; day <= 5; ++day) {
      clinic::v1::WorkingInterval* hours = practitioner.practitioner.add_working_hours();
      hours->set_day(static_cast<google::type::DayOfWeek>(day));
      hours->mutable_start_time()->set_hours(9);
      hours->mutable_end_time()->set_hours(17);
    }
    practitioner.working = WorkingIntervals(practitioner.practitioner, context_.zone,
                                            absl::CivilDay(2027, 1, 3), absl::CivilDay(2027, 3, 1));
    context_.practitioners.push_back(std::move(practitioner));
    RoomFacts room;
    room.room.set_name("clinics/c/rooms/r");
    room.room.set_active(true);
    room.room.add_capabilities("needling_device");
    context_.rooms.push_back(std::move(room));
    PatientFacts patient;
    patient.name = "clinics/c/patients/anna";
    patient.clearance.type = &type_;
    context_.patient = std::move(patient);
  }

  absl::Status Check(absl::Time start) { return CheckBooking(context_, {0, 0, start}); }
  std::string Reason(absl::Time start) { return ReasonOf(Check(start)); }
  std::map<std::string, std::string> Metadata(absl::Time start) {
    const google::rpc::ErrorInfo info = ErrorInfoOf(Check(start));
    return {info.metadata().begin(), info.metadata().end()};
  }
  PatientFacts& patient() { return *context_.patient; }
  PractitionerFacts& practitioner() { return context_.practitioners[0]; }

  clinic::v1::TreatmentType type_ = Microneedling();
  BookingContext context_;
};

TEST_F(BookingRulesTest, AFreeTimeInsideWorkingHoursIsAccepted) {
  EXPECT_TRUE(Check(At(0, 10)).ok()) << Check(At(0, 10));
}

TEST_F(BookingRulesTest, StartExactlyNowIsAcceptedAMicrosecondBeforeIsInThePast) {
  context_.now = At(0, 10);
  EXPECT_TRUE(Check(At(0, 10)).ok());
  const absl::Status past = Check(At(0, 10) - kMicro);
  EXPECT_EQ(past.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationFields(past), std::vector<std::string>{"appointment.start_time"});
  EXPECT_NE(past.message().find("must not be in the past"), std::string::npos) << past;
}

TEST_F(BookingRulesTest, HorizonEdgeIsAcceptedAMicrosecondBeyondIsRefused) {
  context_.policy.mutable_booking_horizon()->set_seconds(24 * 3600 * 7);
  context_.now = At(0, 10) - absl::Hours(24 * 7);
  EXPECT_TRUE(Check(At(0, 10)).ok());
  context_.now -= kMicro;
  const absl::Status beyond = Check(At(0, 10));
  EXPECT_EQ(beyond.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(beyond.message().find("booking horizon of 7 days"), std::string::npos) << beyond;
}

TEST_F(BookingRulesTest, WorkingHoursHoldTheWholeSession) {
  EXPECT_TRUE(Check(At(0, 9)).ok());
  EXPECT_TRUE(Check(At(0, 16)).ok()) << "ends exactly at 17:00";
  EXPECT_EQ(Reason(At(0, 16) + kMicro), "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(Reason(At(0, 9) - kMicro), "OUTSIDE_WORKING_HOURS");
  const auto metadata = Metadata(At(0, 16, 30));
  EXPECT_EQ(metadata.at("cause"), "working_hours");
  EXPECT_EQ(metadata.at("working_hours"), "09:00-17:00");
  EXPECT_EQ(Metadata(At(5, 10)).at("working_hours"), "none") << "a Saturday";
}

TEST_F(BookingRulesTest, TimeOffTouchingIsFineOverlappingIsRefused) {
  practitioner().time_off = BusyTimeline({{At(0, 11), At(0, 12)}});
  EXPECT_TRUE(Check(At(0, 10)).ok()) << "ends as the time off starts";
  EXPECT_TRUE(Check(At(0, 12)).ok()) << "starts as it ends";
  EXPECT_EQ(Reason(At(0, 10) + kMicro), "OUTSIDE_WORKING_HOURS");
  const auto metadata = Metadata(At(0, 12) - kMicro);
  EXPECT_EQ(metadata.at("cause"), "time_off");
  EXPECT_EQ(metadata.at("until_time"), "2027-01-04T12:00:00+00:00");
}

TEST_F(BookingRulesTest, TimeOffDoesNotBlockTheRoomsTurnaround) {
  // 10:00-11:00 with turnaround to 11:15: the practitioner is off from 11:00.
  practitioner().time_off = BusyTimeline({{At(0, 11), At(0, 12)}});
  EXPECT_TRUE(Check(At(0, 10)).ok());
}

TEST_F(BookingRulesTest, AClosureBlocksTheVisitIncludingTheRoomsTurnaround) {
  context_.closures = BusyTimeline({{At(0, 11, 15), At(0, 13)}});
  EXPECT_TRUE(Check(At(0, 10)).ok()) << "turnaround ends as the closure starts";
  EXPECT_TRUE(Check(At(0, 13)).ok()) << "starts as it ends";
  // Session 10:05-11:05 is before the closure, its turnaround is not.
  EXPECT_EQ(Reason(At(0, 10) + kMicro), "OUTSIDE_WORKING_HOURS");
  const auto metadata = Metadata(At(0, 10, 5));
  EXPECT_EQ(metadata.at("cause"), "closure");
  EXPECT_EQ(metadata.at("until_time"), "2027-01-04T13:00:00+00:00");
  EXPECT_EQ(Reason(At(0, 13) - kMicro), "OUTSIDE_WORKING_HOURS");
}

TEST_F(BookingRulesTest, PractitionerOverlapTouchingIsFine) {
  practitioner().appointments = BusyTimeline({{At(0, 11), At(0, 12)}});
  EXPECT_TRUE(Check(At(0, 10)).ok());
  EXPECT_TRUE(Check(At(0, 12)).ok());
  EXPECT_EQ(Reason(At(0, 12) - kMicro), "SLOT_TAKEN");
  const auto metadata = Metadata(At(0, 10) + kMicro);
  EXPECT_EQ(metadata.at("taken_by"), "practitioner");
  EXPECT_EQ(metadata.at("conflict_start_time"), "2027-01-04T11:00:00+00:00");
  EXPECT_EQ(metadata.at("conflict_end_time"), "2027-01-04T12:00:00+00:00");
}

TEST_F(BookingRulesTest, RoomOverlapCountsTheNewVisitsTurnaroundAndTheBookedOnes) {
  // Booked 11:15-12:00 and turnaround to 12:15.
  context_.rooms[0].appointments = BusyTimeline({{At(0, 11, 15), At(0, 12, 15)}});
  EXPECT_TRUE(Check(At(0, 10)).ok()) << "10:00-11:00, turnaround to 11:15";
  EXPECT_EQ(Metadata(At(0, 10) + kMicro).at("taken_by"), "room");
  EXPECT_TRUE(Check(At(0, 12, 15)).ok());
  EXPECT_EQ(Metadata(At(0, 12, 15) - kMicro).at("taken_by"), "room");
}

TEST_F(BookingRulesTest, PatientOverlapTouchingIsFine) {
  patient().appointments = BusyTimeline({{At(0, 11), At(0, 11, 30)}});
  EXPECT_TRUE(Check(At(0, 10)).ok());
  EXPECT_TRUE(Check(At(0, 11, 30)).ok());
  EXPECT_EQ(Metadata(At(0, 10) + kMicro).at("taken_by"), "patient");
  EXPECT_EQ(Metadata(At(0, 11, 30) - kMicro).at("taken_by"), "patient");
}

TEST_F(BookingRulesTest, PractitionerMustBeActiveAndQualified) {
  practitioner().practitioner.set_active(false);
  EXPECT_EQ(Reason(At(0, 10)), "PRACTITIONER_NOT_AVAILABLE");
  EXPECT_NE(Check(At(0, 10)).message().find("is not active"), std::string::npos);
  practitioner().practitioner.set_active(true);
  practitioner().practitioner.clear_treatment_types();
  EXPECT_NE(Check(At(0, 10)).message().find("is not qualified for treatmentTypes/microneedling"),
            std::string::npos);
}

TEST_F(BookingRulesTest, RoomMustBeActiveWithTheCapabilities) {
  context_.rooms[0].room.clear_capabilities();
  EXPECT_EQ(Reason(At(0, 10)), "ROOM_UNSUITABLE");
  EXPECT_EQ(Metadata(At(0, 10)).at("missing_capabilities"), "needling_device");
  // A consultation needs no device.
  context_.kind = clinic::v1::VISIT_KIND_CONSULTATION;
  context_.length = LengthOf(type_, context_.kind, false);
  EXPECT_TRUE(Check(At(0, 10)).ok());
  context_.rooms[0].room.set_active(false);
  EXPECT_EQ(Reason(At(0, 10)), "ROOM_UNSUITABLE");
}

TEST_F(BookingRulesTest, SpacingAtExactlyTheMinimumIsFineAMinuteLessIsRefused) {
  patient().sessions = {At(0, 10)};
  EXPECT_TRUE(Check(At(28, 10)).ok());
  EXPECT_EQ(Reason(At(28, 10) - absl::Minutes(1)), "SERIES_SPACING");
  EXPECT_EQ(Metadata(At(28, 9, 45)).at("earliest_time"), "2027-02-01T10:00:00+00:00");
  // Spacing also holds before a later session.
  patient().sessions = {At(28, 10)};
  EXPECT_TRUE(Check(At(0, 10)).ok());
  EXPECT_EQ(Reason(At(0, 10) + absl::Minutes(1)), "SERIES_SPACING");
  // A clinician may book past it.
  context_.overrides = {"SERIES_SPACING"};
  EXPECT_TRUE(Check(At(0, 10) + absl::Minutes(1)).ok());
}

TEST_F(BookingRulesTest, ConsultationsHaveNoSpacingScreeningOrCourse) {
  patient().sessions = {At(0, 8)};
  context_.kind = clinic::v1::VISIT_KIND_CONSULTATION;
  context_.length = LengthOf(type_, context_.kind, false);
  EXPECT_TRUE(Check(At(0, 10)).ok());
}

TEST_F(BookingRulesTest, ScreeningDeferralIsDecidedAtTheSessionsOwnTime) {
  clinic::v1::Screening screening;
  *screening.mutable_create_time() = ToProtoTime(At(0, 8));
  screening.set_outcome(clinic::v1::SCREENING_OUTCOME_DEFERRED);
  *screening.mutable_until_time() = ToProtoTime(At(1, 10));
  patient().clearance.screenings = {screening};
  EXPECT_EQ(Reason(At(1, 10) - kMicro), "DEFERRED");
  EXPECT_EQ(Metadata(At(1, 10) - kMicro).at("earliest_treatable_time"),
            "2027-01-05T10:00:00+00:00");
  EXPECT_TRUE(Check(At(1, 10)).ok());
}

TEST_F(BookingRulesTest, ConsentAtBookingOnlyWhenTheClinicAsksForIt) {
  EXPECT_TRUE(Check(At(0, 10)).ok());
  context_.policy.set_require_consent_at_booking(true);
  EXPECT_EQ(Reason(At(0, 10)), "CONSENT_REQUIRED");
}

TEST_F(BookingRulesTest, AFirstSessionNeedsAConsultationBeforeIt) {
  type_.mutable_consultation_visit()->set_required(true);
  EXPECT_EQ(Reason(At(1, 10)), "CONSULTATION_REQUIRED");
  patient().consultations = {{"clinics/c/appointments/talk", At(1, 9), false, false}};
  EXPECT_TRUE(Check(At(1, 10)).ok()) << "booked before it, outcome not yet recorded";
  EXPECT_EQ(Reason(At(1, 9)), "CONSULTATION_REQUIRED") << "at the consultation's own start";
  patient().consultations[0].recorded = true;
  EXPECT_EQ(Reason(At(1, 10)), "CONSULTATION_REQUIRED") << "found unsuitable";
  EXPECT_NE(Check(At(1, 10)).message().find("not suitable"), std::string::npos);
  // A session before this one makes it no first session.
  patient().first_session = At(1, 10) - kMicro;
  EXPECT_TRUE(Check(At(1, 10)).ok());
  patient().first_session = At(1, 10);
  EXPECT_EQ(Reason(At(1, 10)), "CONSULTATION_REQUIRED");
}

TEST_F(BookingRulesTest, MaintenanceIsNotBeforeTheRecallIsDue) {
  patient().open_recall_due = At(1, 10);
  EXPECT_EQ(Reason(At(1, 10) - kMicro), "MAINTENANCE_TOO_SOON");
  EXPECT_EQ(Metadata(At(1, 9)).at("earliest_time"), "2027-01-05T10:00:00+00:00");
  EXPECT_TRUE(Check(At(1, 10)).ok());
  context_.overrides = {"MAINTENANCE_TOO_SOON"};
  EXPECT_TRUE(Check(At(1, 9)).ok());
}

class SeriesRulesTest : public BookingRulesTest {
 protected:
  void SetUp() override {
    BookingRulesTest::SetUp();
    SeriesFacts& series = context_.series.emplace();
    series.series.set_name("clinics/c/series/s");
    series.series.set_planned_sessions(3);
    series.series.set_state(clinic::v1::SERIES_STATE_ACTIVE);
    series.taken = {At(0, 9)};
    series.windows = {std::nullopt, SessionWindow{2, At(28, 10), At(42, 10)}};
  }
  SeriesFacts& series() { return *context_.series; }
};

TEST_F(SeriesRulesTest, TheNextSessionFallsInsideItsWindow) {
  EXPECT_TRUE(Check(At(28, 10)).ok());
  EXPECT_EQ(Reason(At(28, 10) - kMicro), "SERIES_SPACING");
  EXPECT_EQ(Metadata(At(28, 10) - kMicro).at("session"), "2");
  EXPECT_TRUE(Check(At(42, 10)).ok());
  EXPECT_EQ(Reason(At(42, 10) + kMicro), "SERIES_WINDOW_CLOSED");
  EXPECT_EQ(Metadata(At(42, 10) + kMicro).at("latest_time"), "2027-02-15T10:00:00+00:00");
  context_.overrides = {"SERIES_WINDOW_CLOSED"};
  EXPECT_TRUE(Check(At(42, 11)).ok());
}

TEST_F(SeriesRulesTest, AClosedOrFullSeriesTakesNoNewSessionButAMoveStays) {
  series().series.set_state(clinic::v1::SERIES_STATE_COMPLETED);
  EXPECT_EQ(Reason(At(28, 10)), "SERIES_CLOSED");
  context_.moved = true;
  EXPECT_TRUE(Check(At(28, 10)).ok());
  context_.moved = false;
  series().series.set_state(clinic::v1::SERIES_STATE_ACTIVE);
  series().series.set_planned_sessions(1);
  EXPECT_EQ(Reason(At(28, 10)), "SERIES_FULL");
}

TEST_F(SeriesRulesTest, AnUnusableSeriesIsRefusedAsLoaded) {
  series().usable = absl::InvalidArgumentError("not the patient's");
  EXPECT_EQ(Check(At(28, 10)), absl::InvalidArgumentError("not the patient's"));
  // ... after the calendar's rules.
  practitioner().appointments = BusyTimeline({{At(28, 10), At(28, 11)}});
  EXPECT_EQ(Reason(At(28, 10)), "SLOT_TAKEN");
}

TEST_F(SeriesRulesTest, ANewCourseWaitsForTheRepeatInterval) {
  series().taken.clear();
  series().windows = {SessionWindow{1, At(0, 0), At(42, 0)}};
  series().last_completed_course = At(0, 10) - absl::Hours(24 * 100);  // 2026-09-26 10:00
  const absl::Time earliest =
      absl::FromCivil(absl::CivilSecond(2027, 1, 26, 10, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(Reason(earliest - kMicro), "REPEAT_COURSE_TOO_SOON");
  EXPECT_EQ(Metadata(earliest - absl::Hours(1)).at("earliest_time"), "2027-01-26T10:00:00+00:00");
  EXPECT_TRUE(Check(earliest).ok());
}

// ---- the search and the check agree ----------------------------------------

TEST_F(BookingRulesTest, EverySlotTheSearchOffersTheCheckAccepts) {
  practitioner().appointments = BusyTimeline({{At(0, 11), At(0, 12)}});
  context_.rooms[0].appointments = BusyTimeline({{At(0, 13), At(0, 14)}});
  context_.closures = BusyTimeline({{At(1, 12), At(1, 15)}});
  practitioner().time_off = BusyTimeline({{At(2, 9), At(2, 10, 30)}});
  patient().appointments = BusyTimeline({{At(3, 14), At(3, 14, 20)}});
  context_.now = At(0, 9, 40);
  const std::vector<FreeSlot> slots = FindFreeSlots(context_, SlotQuery{}, 10000);
  ASSERT_FALSE(slots.empty());
  for (const FreeSlot& slot : slots) {
    EXPECT_TRUE(Check(slot.start).ok())
        << absl::FormatTime(slot.start) << ": " << Check(slot.start);
  }
  // And every grid time the search left out, the check refuses.
  size_t offered = 0;
  for (int day = 0; day < 5; ++day) {
    for (absl::Time t = At(day, 9); t + absl::Hours(1) <= At(day, 17); t += absl::Minutes(15)) {
      const bool is_offered = offered < slots.size() && slots[offered].start == t;
      EXPECT_EQ(Check(t).ok(), is_offered) << absl::FormatTime(t);
      if (is_offered) ++offered;
    }
  }
}

TEST_F(BookingRulesTest, ASlotNextToABusyIntervalThatTheCheckRefusesIsNotOffered) {
  // The closure starts at 11:10: a 10:00 session's turnaround (to 11:15)
  // runs into it, so neither the check nor the search takes 10:00.
  context_.closures = BusyTimeline({{At(0, 11, 10), At(0, 17)}});
  EXPECT_EQ(Reason(At(0, 10)), "OUTSIDE_WORKING_HOURS");
  EXPECT_TRUE(Check(At(0, 9, 45)).ok());
  std::vector<absl::Time> starts;
  for (const FreeSlot& slot : FindFreeSlots(context_, SlotQuery{}, 100)) {
    if (slot.start < At(1, 0)) starts.push_back(slot.start);
  }
  EXPECT_EQ(starts, (std::vector<absl::Time>{At(0, 9), At(0, 9, 15), At(0, 9, 30), At(0, 9, 45)}));
}

TEST_F(BookingRulesTest, SearchTriesTheNextRoomOnlyForRoomRules) {
  RoomFacts second;
  second.room.set_name("clinics/c/rooms/r2");
  second.room.set_active(true);
  second.room.add_capabilities("needling_device");
  context_.rooms.push_back(std::move(second));
  context_.rooms[0].appointments = BusyTimeline({{At(0, 9), At(0, 17)}});
  const std::vector<FreeSlot> slots = FindFreeSlots(context_, SlotQuery{}, 1);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].room, "clinics/c/rooms/r2");
  EXPECT_EQ(slots[0].start, At(0, 9));
}

TEST_F(BookingRulesTest, EarliestEligibleIsTheFirstTimeSpacingAndScreeningAllow) {
  patient().sessions = {At(0, 10)};
  EXPECT_EQ(EarliestEligible(context_, At(1, 0)), At(28, 10));
  clinic::v1::Screening screening;
  *screening.mutable_create_time() = ToProtoTime(At(0, 8));
  screening.set_outcome(clinic::v1::SCREENING_OUTCOME_DEFERRED);
  *screening.mutable_until_time() = ToProtoTime(At(30, 10));
  patient().clearance.screenings = {screening};
  EXPECT_EQ(EarliestEligible(context_, At(1, 0)), At(30, 10));
  // Nothing earlier is accepted.
  EXPECT_FALSE(Check(At(30, 10) - absl::Minutes(15)).ok());
  EXPECT_TRUE(Check(At(30, 10)).ok());
}

TEST(BusyTimelineTest, FindsTheEarliestOverlapPastALongInterval) {
  const BusyTimeline timeline(
      {{At(0, 12), At(0, 13)}, {At(0, 8), At(0, 20)}, {At(0, 9), At(0, 10)}});
  const std::optional<Interval> first = timeline.FirstOverlap({At(0, 15), At(0, 16)});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->start, At(0, 8));
  EXPECT_FALSE(timeline.FirstOverlap({At(0, 20), At(0, 21)}).has_value());
  EXPECT_FALSE(timeline.FirstOverlap({At(0, 7), At(0, 8)}).has_value());
  const std::optional<Interval> touching = timeline.FirstOverlap({At(0, 10), At(0, 12)});
  ASSERT_TRUE(touching.has_value());
  EXPECT_EQ(touching->start, At(0, 8));
  EXPECT_FALSE(BusyTimeline({{At(0, 9), At(0, 10)}}).FirstOverlap({At(0, 10), At(0, 11)}));
}

}  // namespace
}  // namespace clinicd::domain
