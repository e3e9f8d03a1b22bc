// The clinical rules at the moment of care, through the public API with the
// test clock: screening answers evaluated again for each session's own time
// (booking, moving, searching, check-in, GetClearance), restrictions that
// outlive an old screening, the check-in window and completion guard, and
// the course rules (series window, repeat course, maintenance) with a
// clinician's override. Each rule is tried on both sides of its boundary.

#include <functional>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clinic/v1/consent_service.grpc.pb.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using plugins::test_time::At;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;
using plugins::test_time::InUtc;
using plugins::test_time::ParseRfc3339;
using plugins::test_time::ToProto;

class CareRulesTest : public CourseTest {
 protected:
  void SetUp() override {
    CourseTest::SetUp();
    if (HasFatalFailure()) return;
    consent_ = clinic::v1::ConsentService::NewStub(server_.channel());
    clinician_key_ = server_.CreateKey("clinician");
    front_desk_key_ = server_.CreateKey("front_desk");
  }

  clinic::v1::Clearance ClearanceAt(absl::Time time, const std::string& patient = "") {
    clinic::v1::GetClearanceRequest request;
    request.set_patient(patient.empty() ? patient_.name() : patient);
    request.set_treatment_type(kMicroneedling);
    *request.mutable_time() = ToProto(time);
    clinic::v1::Clearance clearance;
    const grpc::Status status =
        consent_->GetClearance(AuthedContext(admin_key_).get(), request, &clearance);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return clearance;
  }

  grpc::Status CheckIn(const std::string& name, Appointment* out) {
    clinic::v1::CheckInAppointmentRequest request;
    request.set_name(name);
    return booking_->CheckInAppointment(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status Complete(const std::string& name, Appointment* out) {
    clinic::v1::CompleteAppointmentRequest request;
    request.set_name(name);
    request.mutable_session_record()->set_summary("full face");
    return booking_->CompleteAppointment(AuthedContext(clinician_key_).get(), request, out);
  }

  grpc::Status BookAs(const std::string& key, const Appointment& draft, Appointment* out) {
    clinic::v1::CreateAppointmentRequest request;
    request.set_parent(clinic_.name());
    *request.mutable_appointment() = draft;
    return booking_->CreateAppointment(AuthedContext(key).get(), request, out);
  }

  clinic::v1::SearchAvailabilityResponse Search(absl::CivilDay first, absl::CivilDay last,
                                                const std::string& patient = "") {
    clinic::v1::SearchAvailabilityRequest request;
    request.set_parent(clinic_.name());
    request.set_treatment_type(kMicroneedling);
    request.set_patient(patient.empty() ? patient_.name() : patient);
    request.mutable_start_date()->set_year(static_cast<int32_t>(first.year()));
    request.mutable_start_date()->set_month(first.month());
    request.mutable_start_date()->set_day(first.day());
    request.mutable_end_date()->set_year(static_cast<int32_t>(last.year()));
    request.mutable_end_date()->set_month(last.month());
    request.mutable_end_date()->set_day(last.day());
    request.set_page_size(500);
    clinic::v1::SearchAvailabilityResponse response;
    const grpc::Status status =
        booking_->SearchAvailability(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // A practitioner who works 08:00-20:00 every day, for rules whose
  // boundaries fall on any weekday.
  void UseEverydayPractitioner() {
    clinic::v1::CreatePractitionerRequest request;
    request.set_parent(clinic_.name());
    clinic::v1::Practitioner* p = request.mutable_practitioner();
    p->set_display_name("Dr. Jeden Tag");
    p->add_treatment_types(kMicroneedling);
    p->set_active(true);
    for (int day = 1; day <= 7; ++day) {
      clinic::v1::WorkingInterval* hours = p->add_working_hours();
      hours->set_day(static_cast<google::type::DayOfWeek>(day));
      hours->mutable_start_time()->set_hours(8);
      hours->mutable_end_time()->set_hours(20);
    }
    const grpc::Status status =
        practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &practitioner_);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::unique_ptr<clinic::v1::ConsentService::Stub> consent_;
  std::string clinician_key_;
  std::string front_desk_key_;
};

std::vector<std::string> ReasonsOf(const clinic::v1::Clearance& clearance) {
  std::vector<std::string> reasons;
  for (const auto& reason : clearance.reasons()) reasons.push_back(reason.reason());
  return reasons;
}

TEST_F(CareRulesTest, TheTestClockStandsStillAndMovesOnlyForward) {
  const absl::Time start = Now();
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(Now(), start) << "the test clock stands still";
  Advance(absl::Hours(1));
  EXPECT_EQ(Now(), start + absl::Hours(1));
  clinicd::test_clock::v1::SetTestTimeRequest back;
  back.mutable_time()->set_seconds(absl::ToUnixSeconds(start));
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status =
      test_clock_->SetTestTime(AuthedContext(admin_key_).get(), back, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"time"}));
  const grpc::Status front_desk =
      test_clock_->AdvanceTestTime(AuthedContext(front_desk_key_).get(), {}, &reply);
  EXPECT_EQ(front_desk.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(server_.Log().find("TEST CLOCK"), std::string::npos) << "said loudly in the log";
}

TEST_F(CareRulesTest, AMoveIntoADeferralIsRefusedAndCheckInReadsTheAnswersForTheSession) {
  // Monday 07:00: the patient took an antihistamine at 06:00 and is screened.
  SetTime(At(monday_, 7));
  ScreenForMicroneedling(patient_.name(), {{"antihistamine_last_dose", At(monday_, 6)}});
  // Wednesday 10:00 is well past the 24 hours: booked.
  Appointment booked = MustBook(Draft(At(monday_ + 2, 10)));
  ASSERT_FALSE(booked.name().empty());

  // Moved to Monday 14:00, eight hours after the dose: refused for that time.
  Appointment moved;
  grpc::Status status = Reschedule(booked, At(monday_, 14), &moved);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "DEFERRED") << status.error_message();
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["earliest_treatable_time"])),
            InBerlin(At(monday_ + 1, 6)));

  // GetClearance for the session's time on both sides of the boundary.
  EXPECT_EQ(ReasonsOf(ClearanceAt(At(monday_ + 1, 6) - absl::Seconds(1))),
            (std::vector<std::string>{"DEFERRED"}));
  EXPECT_TRUE(ClearanceAt(At(monday_ + 1, 6)).treatable());

  // Tuesday 09:00 is past it: the move goes through.
  status = Reschedule(booked, At(monday_ + 1, 9), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Monday 20:00 the patient takes another dose and says so: the session
  // booked for Tuesday 09:00 is now inside the deferral, and check-in reads
  // the answers again for it.
  SetTime(At(monday_, 20, 30));
  ScreenForMicroneedling(patient_.name(), {{"antihistamine_last_dose", At(monday_, 20)}});
  SetTime(At(monday_ + 1, 8, 30));
  Appointment checked_in;
  status = CheckIn(moved.name(), &checked_in);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "DEFERRED") << status.error_message();
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["earliest_treatable_time"])),
            InBerlin(At(monday_ + 1, 20)));
}

TEST_F(CareRulesTest, AnOldScreeningsContraindicationStillRefusesBooking) {
  // Screened with an isotretinoin dose a month ago, then 40 days pass.
  const absl::Time dose = Now() - absl::Hours(24 * 30);
  ScreenForMicroneedling(patient_.name(), {{"isotretinoin_last_dose", dose}});
  const clinic::v1::Clearance fresh = ClearanceAt(Now());
  EXPECT_EQ(ReasonsOf(fresh), (std::vector<std::string>{"CONTRAINDICATED"}));
  ASSERT_TRUE(fresh.has_earliest_treatable_time());
  const absl::Time lifts = FromProto(fresh.earliest_treatable_time());
  EXPECT_GT(lifts, Now() + absl::Hours(24 * 140)) << "about five months from now";
  Advance(absl::Hours(24 * 40));
  UseEverydayPractitioner();

  const clinic::v1::Clearance stale = ClearanceAt(lifts - absl::Hours(1));
  EXPECT_EQ(ReasonsOf(stale), (std::vector<std::string>{"SCREENING_REQUIRED", "CONTRAINDICATED"}))
      << "an old screening asks for a new one and its restriction still holds";

  // The last bookable minute before it lifts is refused, the first after is not.
  const absl::CivilDay day = absl::ToCivilDay(lifts, plugins::test_time::Berlin());
  Appointment out;
  grpc::Status before = Book(Draft(At(day - 1, 10)), &out);
  EXPECT_EQ(ReasonOf(before), "CONTRAINDICATED") << before.error_message();
  EXPECT_EQ(InUtc(ParseRfc3339(MetadataOf(before)["earliest_treatable_time"])), InUtc(lifts));
  grpc::Status after = Book(Draft(At(day + 1, 10)), &out);
  EXPECT_TRUE(after.ok()) << after.error_message();
}

TEST_F(CareRulesTest, SearchOffersNoSlotInsideADeferralAndSaysWhenItLifts) {
  SetTime(At(monday_, 7));
  ScreenForMicroneedling(patient_.name(), {{"antihistamine_last_dose", At(monday_, 7)}});
  const clinic::v1::SearchAvailabilityResponse found = Search(monday_, monday_ + 1);
  ASSERT_GT(found.slots_size(), 0);
  for (const clinic::v1::Slot& slot : found.slots()) {
    EXPECT_GE(FromProto(slot.start_time()), At(monday_ + 1, 7)) << InBerlin(slot.start_time());
  }
  ASSERT_TRUE(found.has_earliest_eligible_time());
  EXPECT_EQ(InBerlin(found.earliest_eligible_time()), InBerlin(At(monday_ + 1, 7)));
  // What search offers, booking takes.
  Appointment out;
  const grpc::Status status = Book(Draft(FromProto(found.slots(0).start_time())), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(CareRulesTest, AnswersDatedInTheFutureAreRefused) {
  clinic::v1::SubmitScreeningRequest request;
  request.set_parent(patient_.name());
  request.mutable_screening()->set_treatment_type(kMicroneedling);
  for (const char* id : {"isotretinoin_last_dose", "antihistamine_last_dose", "sun_exposure_last",
                         "retinoid_or_vitamin_c_last_use", "peel_or_laser_last",
                         "other_medications"}) {
    request.mutable_screening()->add_answers()->set_question_id(id);
  }
  *request.mutable_screening()->mutable_answers(1)->mutable_time() =
      ToProto(Now() + absl::Minutes(1));
  clinic::v1::Screening screening;
  grpc::Status status =
      consent_->SubmitScreening(AuthedContext(admin_key_).get(), request, &screening);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"screening.answers[1].time"}));
  *request.mutable_screening()->mutable_answers(1)->mutable_time() = ToProto(Now());
  status = consent_->SubmitScreening(AuthedContext(admin_key_).get(), request, &screening);
  EXPECT_TRUE(status.ok()) << "now itself has happened: " << status.error_message();
}

TEST_F(CareRulesTest, CheckInOpensAnHourBeforeAndClosesAtTheEnd) {
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  // Two more patients' sessions later that week, for the end of the window.
  const clinic::v1::Patient second = MakeReachablePatient("Berta", "Klein");
  ClearForMicroneedling(second.name());
  const clinic::v1::Patient third = MakeReachablePatient("Clara", "Neu");
  ClearForMicroneedling(third.name());
  const Appointment later = MustBook(Draft(At(monday_ + 1, 10), "", second.name()));
  const Appointment last = MustBook(Draft(At(monday_ + 2, 10), "", third.name()));
  Appointment out;
  SetTime(At(monday_, 9) - absl::Seconds(1));
  grpc::Status status = CheckIn(booked.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "TOO_EARLY");
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["earliest_time"])), InBerlin(At(monday_, 9)));
  EXPECT_NE(status.error_message().find("09:00"), std::string::npos)
      << "on the clinic's clock: " << status.error_message();

  SetTime(At(monday_, 9));
  status = CheckIn(booked.name(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Completion records a treatment: not before the session has started.
  SetTime(At(monday_, 10) - absl::Seconds(1));
  status = Complete(booked.name(), &out);
  EXPECT_EQ(ReasonOf(status), "TOO_EARLY") << status.error_message();
  SetTime(At(monday_, 10));
  status = Complete(booked.name(), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // A session that has ended can no longer be checked in.
  SetTime(FromProto(later.end_time()));
  status = CheckIn(later.name(), &out);
  EXPECT_TRUE(status.ok()) << "at its very end it still can: " << status.error_message();
  SetTime(FromProto(last.end_time()) + absl::Seconds(1));
  status = CheckIn(last.name(), &out);
  EXPECT_EQ(ReasonOf(status), "TOO_LATE") << status.error_message();
}

TEST_F(CareRulesTest, TheClinicChoosesHowEarlyCheckInOpens) {
  clinic::v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic_;
  update.mutable_clinic()->mutable_policy()->mutable_check_in_lead()->set_seconds(15 * 60);
  update.mutable_update_mask()->add_paths("policy.check_in_lead");
  grpc::Status status = practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &clinic_);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  Appointment out;
  SetTime(At(monday_, 9, 44));
  EXPECT_EQ(ReasonOf(CheckIn(booked.name(), &out)), "TOO_EARLY");
  SetTime(At(monday_, 9, 45));
  status = CheckIn(booked.name(), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();

  *update.mutable_clinic() = clinic_;
  update.mutable_clinic()->mutable_policy()->mutable_check_in_lead()->set_seconds(25 * 3600);
  status = practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &clinic_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"clinic.policy.check_in_lead"}));
}

TEST_F(CareRulesTest, ASeriesSessionAfterItsWindowNeedsAClinicianWithAReason) {
  const clinic::v1::Series series = MustCreateSeries("melasma");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  MustCheckInAndComplete(first.name());
  // Spacing 4-6 weeks: the window closes six weeks on, the same local time.
  const absl::Time closes = At(monday_ + 42, 10);
  Appointment out;
  grpc::Status status = Book(Draft(At(monday_ + 43, 10), series.name()), &out);
  EXPECT_EQ(ReasonOf(status), "SERIES_WINDOW_CLOSED") << status.error_message();
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["latest_time"])), InBerlin(closes));

  Appointment draft = Draft(At(monday_ + 43, 10), series.name());
  draft.mutable_rule_override()->add_reasons("SERIES_WINDOW_CLOSED");
  draft.mutable_rule_override()->set_justification("Patient was abroad; skin assessed fine.");
  status = BookAs(front_desk_key_, draft, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "OVERRIDE_NEEDS_CLINICIAN");

  Appointment no_reason = draft;
  no_reason.mutable_rule_override()->clear_justification();
  status = BookAs(clinician_key_, no_reason, &out);
  EXPECT_EQ(BadFieldsOf(status),
            (std::set<std::string>{"appointment.rule_override.justification"}));
  Appointment screening_override = draft;
  screening_override.mutable_rule_override()->add_reasons("CONTRAINDICATED");
  status = BookAs(clinician_key_, screening_override, &out);
  EXPECT_EQ(BadFieldsOf(status),
            (std::set<std::string>{"appointment.rule_override.reasons[1]"}));

  status = BookAs(clinician_key_, draft, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.rule_override().reasons(0), "SERIES_WINDOW_CLOSED");
  EXPECT_FALSE(out.rule_override().decided_by().empty());
  EXPECT_EQ(FromProto(out.rule_override().decide_time()), Now());

  // Moved by the front desk, the override does not follow: it was for that time.
  Appointment moved;
  status = Reschedule(out, At(monday_ + 44, 10), &moved);
  EXPECT_EQ(ReasonOf(status), "SERIES_WINDOW_CLOSED") << status.error_message();
  // Inside the window the session books without any override.
  status = Reschedule(out, closes, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(moved.has_rule_override());
}

TEST_F(CareRulesTest, ANewCourseWaitsForTheRepeatIntervalAndMaintenanceForTheRecall) {
  UseEverydayPractitioner();
  const clinic::v1::Series course = MustCreateSeries("melasma", 3);
  absl::CivilDay day = monday_;
  for (int i = 0; i < 3; ++i) {
    const Appointment session = MustBook(Draft(At(day, 10), course.name()));
    MustCheckInAndComplete(session.name());
    day += 28;
  }
  ASSERT_EQ(GetSeries(course.name()).state(), clinic::v1::SERIES_STATE_COMPLETED);
  const absl::Time last = At(monday_ + 56, 10);
  std::vector<clinic::v1::Recall> recalls = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
  ASSERT_EQ(recalls.size(), 1u);
  const absl::Time due = FromProto(recalls[0].due_time());

  // A new course: its first session no sooner than four months after the last.
  const clinic::v1::Series next = MustCreateSeries("melasma", 3);
  const absl::Time repeat = At(absl::CivilDay(absl::CivilMonth(monday_ + 56) + 4) +
                                   ((monday_ + 56).day() - 1),
                               10);
  Appointment out;
  grpc::Status status = Book(Draft(repeat - absl::Hours(24), next.name()), &out);
  EXPECT_EQ(ReasonOf(status), "REPEAT_COURSE_TOO_SOON") << status.error_message();
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["earliest_time"])), InBerlin(repeat));
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["last_session_time"])), InBerlin(last));

  // A visit outside a series is maintenance: not before the recall is due.
  status = Book(Draft(due - absl::Hours(24)), &out);
  EXPECT_EQ(ReasonOf(status), "MAINTENANCE_TOO_SOON") << status.error_message();
  EXPECT_EQ(InBerlin(ParseRfc3339(MetadataOf(status)["earliest_time"])), InBerlin(due));

  // A clinician may bring it forward with a reason, and then it does not count
  // as the maintenance the recall asks for.
  Appointment early = Draft(due - absl::Hours(24 * 30));
  early.mutable_rule_override()->add_reasons("MAINTENANCE_TOO_SOON");
  early.mutable_rule_override()->set_justification("Flare-up; treating early.");
  status = BookAs(clinician_key_, early, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  recalls = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
  ASSERT_EQ(recalls.size(), 1u);
  EXPECT_NE(recalls[0].state(), clinic::v1::RECALL_STATE_SATISFIED)
      << "a too-early visit never satisfies a recall";
  Appointment cancelled;
  ASSERT_TRUE(Cancel(out.name(), &cancelled).ok());

  // At the due time it books, and satisfies the recall.
  status = Book(Draft(At(absl::ToCivilDay(due, plugins::test_time::Berlin()), 10)), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  recalls = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
  ASSERT_EQ(recalls.size(), 1u);
  EXPECT_EQ(recalls[0].state(), clinic::v1::RECALL_STATE_SATISFIED);
}

TEST_F(CareRulesTest, AFirstSessionNeedsAConsultationThatFoundThePatientSuitable) {
  const clinic::v1::Patient new_patient =
      MakePatient(clinic_.name(), "Nora", "Neu", "", /*consulted=*/false);
  ClearForMicroneedling(new_patient.name(), /*consult=*/false);
  Appointment out;
  grpc::Status status = Book(Draft(At(monday_, 10), "", new_patient.name()), &out);
  EXPECT_EQ(ReasonOf(status), "CONSULTATION_REQUIRED") << status.error_message();
  EXPECT_NE(MetadataOf(status)["advice_CONSULTATION_REQUIRED"].find("consultation"),
            std::string::npos);

  // A consultation: any room will do, no consent or screening needed.
  const clinic::v1::Room office = MakeRoom(clinic_.name(), "Sprechzimmer", {});
  Appointment consultation = Draft(At(monday_ - 7, 15), "", new_patient.name());
  consultation.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
  consultation.set_room(office.name());
  Appointment with_numbing = consultation;
  with_numbing.set_numbing(true);
  EXPECT_EQ(BadFieldsOf(Book(with_numbing, &out)),
            (std::set<std::string>{"appointment.numbing"}));
  const Appointment visit = MustBook(consultation);
  EXPECT_EQ(visit.kind(), clinic::v1::VISIT_KIND_CONSULTATION);
  EXPECT_EQ(FromProto(visit.end_time()), At(monday_ - 7, 15, 30)) << "half an hour";

  // One booked after the session does not count; the one before does.
  status = Book(Draft(At(monday_ - 7, 14), "", new_patient.name()), &out);
  EXPECT_EQ(ReasonOf(status), "CONSULTATION_REQUIRED") << "a session before the consultation";
  const Appointment first = MustBook(Draft(At(monday_, 10), "", new_patient.name()));

  // The outcome is recorded once the consultation has started and the
  // patient checked in; a treatment session has no outcome to record.
  clinic::v1::RecordConsultationOutcomeRequest record;
  record.set_name(visit.name());
  record.mutable_outcome()->set_suitable(true);
  record.mutable_outcome()->set_indication("acne_scars");
  record.mutable_outcome()->set_planned_needle_depth_mm(1.5);
  SetTime(At(monday_ - 7, 14, 30));
  ASSERT_TRUE(CheckIn(visit.name(), &out).ok()) << "no consent or screening needed";
  SetTime(At(monday_ - 7, 15) - absl::Seconds(1));
  status = booking_->RecordConsultationOutcome(AuthedContext(clinician_key_).get(), record, &out);
  EXPECT_EQ(ReasonOf(status), "TOO_EARLY") << status.error_message();
  SetTime(At(monday_ - 7, 15));
  status = Complete(visit.name(), &out);
  EXPECT_EQ(ReasonOf(status), "CONSULTATION_OUTCOME_REQUIRED") << status.error_message();
  clinic::v1::RecordConsultationOutcomeRequest bad = record;
  bad.mutable_outcome()->set_indication("tattoos");
  status = booking_->RecordConsultationOutcome(AuthedContext(clinician_key_).get(), bad, &out);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"outcome.indication"}));
  status = booking_->RecordConsultationOutcome(AuthedContext(front_desk_key_).get(), record, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Until it is recorded, the first session cannot be checked in.
  status = booking_->RecordConsultationOutcome(AuthedContext(clinician_key_).get(), record, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  EXPECT_TRUE(out.consultation_outcome().suitable());
  EXPECT_FALSE(out.consultation_outcome().recorded_by().empty());
  EXPECT_EQ(FromProto(out.consultation_outcome().record_time()), Now());

  // The series plans from the consultation's indication when given none.
  clinic::v1::Series series;
  series.set_patient(new_patient.name());
  series.set_treatment_type(kMicroneedling);
  clinic::v1::Series planned;
  status = CreateSeries(series, &planned);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(planned.indication(), "acne_scars");
  EXPECT_EQ(planned.planned_sessions(), 6) << "scars: six to eight sessions";

  SetTime(At(monday_, 9, 30));
  ScreenForMicroneedling(new_patient.name());
  status = CheckIn(first.name(), &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(CareRulesTest, AConsultationThatFoundThePatientUnsuitableBlocksTheFirstSession) {
  const clinic::v1::Patient new_patient =
      MakePatient(clinic_.name(), "Otto", "Ohne", "", /*consulted=*/false);
  ClearForMicroneedling(new_patient.name(), /*consult=*/false);
  Appointment consultation = Draft(At(monday_ - 7, 15), "", new_patient.name());
  consultation.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
  const Appointment visit = MustBook(consultation);
  const Appointment first = MustBook(Draft(At(monday_, 10), "", new_patient.name()));
  SetTime(At(monday_ - 7, 15));
  Appointment out;
  ASSERT_TRUE(CheckIn(visit.name(), &out).ok());
  clinic::v1::RecordConsultationOutcomeRequest record;
  record.set_name(visit.name());
  record.mutable_outcome()->set_suitable(false);
  record.mutable_outcome()->set_notes("active acne on the cheeks; treat that first");
  grpc::Status status =
      booking_->RecordConsultationOutcome(AuthedContext(clinician_key_).get(), record, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();

  SetTime(At(monday_, 9, 30));
  status = CheckIn(first.name(), &out);
  EXPECT_EQ(ReasonOf(status), "CONSULTATION_REQUIRED") << status.error_message();
  EXPECT_NE(status.error_message().find("not suitable"), std::string::npos);
  // Nor can another first session be booked.
  ASSERT_TRUE(Cancel(first.name(), &out).ok());
  status = Book(Draft(At(monday_ + 1, 10), "", new_patient.name()), &out);
  EXPECT_EQ(ReasonOf(status), "CONSULTATION_REQUIRED") << status.error_message();
  EXPECT_NE(status.error_message().find("not suitable"), std::string::npos);

  // A consultation search offers any room, at the consultation's length.
  clinic::v1::SearchAvailabilityRequest search;
  search.set_parent(clinic_.name());
  search.set_treatment_type(kMicroneedling);
  search.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
  search.set_patient(new_patient.name());
  search.mutable_start_date()->set_year(static_cast<int32_t>((monday_ + 1).year()));
  search.mutable_start_date()->set_month((monday_ + 1).month());
  search.mutable_start_date()->set_day((monday_ + 1).day());
  search.set_page_size(1);
  clinic::v1::SearchAvailabilityResponse found;
  status = booking_->SearchAvailability(AuthedContext(admin_key_).get(), search, &found);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(found.slots_size(), 1);
  EXPECT_EQ(FromProto(found.slots(0).end_time()) - FromProto(found.slots(0).start_time()),
            absl::Minutes(30));
}

// Every dated screening rule of the protocol on both sides of its boundary,
// for each decision: GetClearance, search, booking, check-in and moving.
TEST_F(CareRulesTest, EveryDatedScreeningRuleHoldsToTheSecondForEveryDecision) {
  practitioner_ = MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Rund");
  // P's sessions with their own practitioner and room, so Q's are free.
  const clinic::v1::Practitioner second = MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Zwei");
  const clinic::v1::Room second_room = MakeRoom(clinic_.name(), "Raum 2", {"microneedling_device"});
  const absl::TimeZone& berlin = plugins::test_time::Berlin();
  auto plus_days = [&berlin](int days) {
    return [&berlin, days](absl::Time t) {
      return absl::FromCivil(absl::ToCivilSecond(t, berlin) + 86400 * days, berlin);
    };
  };
  struct Rule {
    const char* question;
    const char* reason;
    std::function<absl::Time(absl::Time)> lifts;  // from the answer's time
  };
  // In the order they lift, as the clock only moves forward.
  const std::vector<Rule> rules = {
      {"sun_exposure_last", "DEFERRED", [](absl::Time t) { return t + absl::Hours(12); }},
      {"antihistamine_last_dose", "DEFERRED", [](absl::Time t) { return t + absl::Hours(24); }},
      {"retinoid_or_vitamin_c_last_use", "DEFERRED", plus_days(3)},
      {"peel_or_laser_last", "DEFERRED", plus_days(7)},
      {"isotretinoin_last_dose", "CONTRAINDICATED",
       [&berlin](absl::Time t) {
         const absl::CivilSecond s = absl::ToCivilSecond(t, berlin);
         return absl::FromCivil(absl::CivilSecond(s.year(), s.month() + 6, s.day(), s.hour(),
                                                  s.minute(), s.second()),
                                berlin);
       }},
  };
  auto has = [](const std::string& reasons, const char* reason) {
    return absl::StrContains(reasons, reason);
  };
  SetTime(At(monday_, 8));
  const absl::Time dose = At(monday_, 7);
  int n = 0;
  for (const Rule& rule : rules) {
    SCOPED_TRACE(rule.question);
    const absl::Time lifts = rule.lifts(dose);
    // P has a session booked while clear; Q has none. Then both report the dose.
    const clinic::v1::Patient p = MakeReachablePatient("Pia", absl::StrCat("Regel", ++n));
    ClearForMicroneedling(p.name());
    const clinic::v1::Patient q = MakeReachablePatient("Quirin", absl::StrCat("Regel", n));
    ClearForMicroneedling(q.name());
    Appointment p_draft = Draft(lifts - absl::Hours(1), "", p.name());
    p_draft.set_practitioner(second.name());
    p_draft.set_room(second_room.name());
    const Appointment booked = MustBook(p_draft);
    ScreenForMicroneedling(p.name(), {{rule.question, dose}});
    ScreenForMicroneedling(q.name(), {{rule.question, dose}});

    // GetClearance: restricted a second before the lift, not from it.
    const clinic::v1::Clearance inside = ClearanceAt(lifts - absl::Seconds(1), q.name());
    std::string reasons;
    for (const auto& r : inside.reasons()) absl::StrAppend(&reasons, r.reason(), ",");
    EXPECT_TRUE(has(reasons, rule.reason)) << reasons;
    std::string after;
    const clinic::v1::Clearance at_lift = ClearanceAt(lifts, q.name());
    for (const auto& r : at_lift.reasons()) absl::StrAppend(&after, r.reason(), ",");
    EXPECT_FALSE(has(after, rule.reason)) << after;

    // Search: nothing before the lift on its day, and the lift is named.
    const absl::CivilDay day = absl::ToCivilDay(lifts, berlin);
    const clinic::v1::SearchAvailabilityResponse found = Search(day, day, q.name());
    for (const clinic::v1::Slot& slot : found.slots()) {
      EXPECT_GE(FromProto(slot.start_time()), lifts) << InBerlin(slot.start_time());
    }
    EXPECT_EQ(InUtc(FromProto(found.earliest_eligible_time())), InUtc(lifts));

    // Booking: a second before is refused, the lift itself is booked.
    Appointment out;
    grpc::Status status = Book(Draft(lifts - absl::Seconds(1), "", q.name()), &out);
    EXPECT_EQ(ReasonOf(status), rule.reason) << status.error_message();
    EXPECT_EQ(InUtc(ParseRfc3339(MetadataOf(status)["earliest_treatable_time"])), InUtc(lifts));
    status = Book(Draft(lifts, "", q.name()), &out);
    EXPECT_TRUE(status.ok()) << status.error_message();

    // Check-in of P's session, booked before the answer: refused at its time.
    SetTime(FromProto(booked.start_time()) - absl::Minutes(30));
    status = CheckIn(booked.name(), &out);
    EXPECT_TRUE(has(MetadataOf(status)["reasons"], rule.reason)) << status.error_message();

    // Moving it: a second before the lift is refused, after it is not.
    status = Reschedule(booked, lifts - absl::Seconds(1), &out);
    EXPECT_EQ(ReasonOf(status), rule.reason) << status.error_message();
    status = Reschedule(booked, lifts + absl::Hours(2), &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

}  // namespace
}  // namespace clinicd::testing
