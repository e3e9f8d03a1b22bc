// clinicctl, the binary, for the care around a session: the consultation
// before a first session and its outcome, a clinician's screening review,
// consent withdrawal and its PDF, time off and closures, a clinician's
// override of the course rules; and how it talks: refusals on the clinic's
// clock, a past time called that, a misspelt name answered with the closest.
//
// Every patient's first microneedling session has a consultation booked
// before it (and recorded where the session is checked in), so the tests
// hold whether or not the protocol requires one.

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clinic/v1/consent_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::clinicd::plugins::test_time::At;
using ::clinicd::plugins::test_time::Berlin;
using ::clinicd::plugins::test_time::ToProto;
using ::clinicd::testing::AuthedContext;
using ::clinicd::testing::kMicroneedling;
using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A UTC timestamp as clinicd writes them (…T06:00:00Z) or a "UTC" zone.
constexpr char kUtcStamp[] = "[0-9]Z|UTC|T[0-9][0-9]:[0-9][0-9]";

// "Mon 2027-03-15 10:00 CET", as clinicctl shows times.
std::string Shown(absl::Time time) {
  return absl::FormatTime("%a %Y-%m-%d %H:%M %Z", time, Berlin());
}

// The line of `text` that contains `needle` ("" when none).
std::string LineWith(const std::string& text, const std::string& needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  return "";
}

class CareTest : public ClinicctlTest {
 protected:
  void SetUp() override {
    ClinicctlTest::SetUp();
    if (HasFatalFailure()) return;
    front_desk_key_ = server_.CreateKey("front_desk");
    consent_ = clinic::v1::ConsentService::NewStub(server_.channel());
    clinic::v1::GetTreatmentTypeRequest request;
    request.set_name(kMicroneedling);
    clinic::v1::TreatmentType type;
    auto catalog = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
    const grpc::Status status =
        catalog->GetTreatmentType(AuthedContext(admin_key_).get(), request, &type);
    ASSERT_TRUE(status.ok()) << status.error_message();
    consultations_ = type.has_consultation_visit();
    consultation_required_ = type.consultation_visit().required();
  }

  // A patient of the fixture's clinic who has had no consultation.
  clinic::v1::Patient NewPatient(const std::string& given, const std::string& family) {
    clinic::v1::CreatePatientRequest request;
    request.set_parent(clinic_.name());
    request.mutable_patient()->set_given_name(given);
    request.mutable_patient()->set_family_name(family);
    clinic::v1::Patient created;
    const grpc::Status status =
        patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  // The patient's treatment sessions, or their consultations, by start time.
  std::vector<clinic::v1::Appointment> Visits(const std::string& patient, bool consultations) {
    return AppointmentsOf(patient, consultations ? clinic::v1::VISIT_KIND_CONSULTATION
                                                 : clinic::v1::VISIT_KIND_TREATMENT);
  }

  // Books a consultation for `patient` (the fixture's when empty) at `start`
  // with `practitioner` (the fixture's when empty) when the protocol has one
  // and the patient has had none found suitable; with `record`, moves the
  // clock to it, checks it in and records the patient as suitable.
  void ConsultFirst(absl::Time start, bool record, const std::string& patient = "",
                    const std::string& practitioner = "") {
    if (!consultations_) return;
    for (const clinic::v1::Appointment& done :
         Visits(patient.empty() ? patient_.name() : patient, true)) {
      if (done.consultation_outcome().suitable()) return;
    }
    clinic::v1::Appointment draft = Draft(start, "", patient);
    if (!practitioner.empty()) draft.set_practitioner(practitioner);
    draft.set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
    const clinic::v1::Appointment booked = MustBook(draft);
    if (!record) return;
    SetTime(start);
    clinic::v1::CheckInAppointmentRequest check_in;
    check_in.set_name(booked.name());
    clinic::v1::Appointment out;
    grpc::Status status =
        booking_->CheckInAppointment(AuthedContext(admin_key_).get(), check_in, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    clinic::v1::RecordConsultationOutcomeRequest outcome;
    outcome.set_name(booked.name());
    outcome.mutable_outcome()->set_suitable(true);
    outcome.mutable_outcome()->set_indication("acne_scars");
    status = booking_->RecordConsultationOutcome(AuthedContext(admin_key_).get(), outcome, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The patient's microneedling consents.
  std::vector<clinic::v1::Consent> ConsentsOf(const std::string& patient) {
    clinic::v1::ListConsentsRequest request;
    request.set_parent(patient);
    clinic::v1::ListConsentsResponse response;
    const grpc::Status status =
        consent_->ListConsents(AuthedContext(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.consents().begin(), response.consents().end()};
  }

  std::string front_desk_key_;
  std::unique_ptr<clinic::v1::ConsentService::Stub> consent_;
  // Whether the microneedling protocol has a consultation visit, and requires it.
  bool consultations_ = false;
  bool consultation_required_ = false;
};

TEST_F(CareTest, BooksAConsultationAndTheClinicianRecordsItsOutcome) {
  if (!consultations_) GTEST_SKIP() << "the microneedling protocol has no consultation visit";
  const clinic::v1::Patient mia = NewPatient("Mia", "Wagner");
  const absl::CivilDay day = monday_ - 7;
  const ProgramResult slots = Ctl({"slots", "--consultation", "--from=" + DayText(day),
                                   "--to=" + DayText(day), "--patient=Mia Wagner"});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_THAT(slots.out, HasSubstr("Free Microneedling consultation slots"));
  EXPECT_THAT(slots.out, HasSubstr("--consultation"));

  const ProgramResult booked = Ctl({"appointment", "book", "--patient=Mia Wagner", "--consultation",
                                    "--at=" + DayText(day) + " 09:00"},
                                   front_desk_key_);
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  EXPECT_THAT(booked.out, AllOf(StartsWith("Booked: "), HasSubstr("Microneedling consultation")));
  const std::vector<clinic::v1::Appointment> appointments =
      AppointmentsOf(mia.name(), clinic::v1::VISIT_KIND_CONSULTATION);
  ASSERT_EQ(appointments.size(), 1u);
  EXPECT_EQ(appointments[0].kind(), clinic::v1::VISIT_KIND_CONSULTATION);
  const std::string id = IdOf(appointments[0].name());

  SetTime(At(day, 9));
  const ProgramResult checked_in = Ctl({"appointment", "check-in", id}, front_desk_key_);
  ASSERT_EQ(checked_in.exit_code, 0) << checked_in.err;

  const std::vector<std::string> record = {"consultation",
                                           "record",
                                           id,
                                           "--suitable",
                                           "--indication=acne_scars",
                                           "--needle_depth=1.0",
                                           "--notes=thin skin at the temples"};
  const ProgramResult denied = Ctl(record, front_desk_key_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err,
              HasSubstr("may not call RecordConsultationOutcome; that is a clinician's"));

  const ProgramResult recorded = Ctl(record);
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, StartsWith("Recorded: "));
  EXPECT_THAT(recorded.out, HasSubstr("Outcome: suitable"));
  EXPECT_THAT(recorded.out, HasSubstr("clinicctl series create --patient=" + IdOf(mia.name()) +
                                      " --indication=acne_scars"));
  const clinic::v1::Appointment done = GetAppointment(appointments[0].name());
  EXPECT_TRUE(done.consultation_outcome().suitable());
  EXPECT_EQ(done.consultation_outcome().indication(), "acne_scars");
  EXPECT_DOUBLE_EQ(done.consultation_outcome().planned_needle_depth_mm(), 1.0);
  EXPECT_EQ(done.consultation_outcome().notes(), "thin skin at the temples");

  const ProgramResult shown = Ctl({"appointment", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(LineWith(shown.out, "Kind:"), HasSubstr("consultation"));
  EXPECT_THAT(LineWith(shown.out, "Outcome:"),
              AllOf(HasSubstr("suitable"), HasSubstr("1 mm planned"),
                    HasSubstr("thin skin at the temples")));
}

TEST_F(CareTest, AFirstSessionWithoutItsConsultationSaysWhatToDo) {
  if (!consultation_required_)
    GTEST_SKIP() << "the microneedling protocol requires no consultation";
  const clinic::v1::Patient jonas = NewPatient("Jonas", "Keller");
  ASSERT_EQ(Ctl({"consent", "sign", "Jonas Keller", "--shown"}).exit_code, 0);
  ASSERT_EQ(Ctl({"screening", "submit", "Jonas Keller"}).exit_code, 0);
  const std::string day = DayText(monday_);
  const ProgramResult first =
      Ctl({"appointment", "book", "--patient=Jonas Keller", "--at=" + day + " 10:00"});
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_THAT(first.err, HasSubstr("(CONSULTATION_REQUIRED)"));
  EXPECT_THAT(first.err, HasSubstr("book one: clinicctl appointment book --patient='Jonas Keller' "
                                   "--treatment=microneedling --consultation --at="));

  // Booked before, but not yet recorded at the session's check-in.
  ConsultFirst(At(monday_ - 7, 9), false, jonas.name());
  const std::vector<clinic::v1::Appointment> consultations = Visits(jonas.name(), true);
  ASSERT_EQ(consultations.size(), 1u);
  const clinic::v1::Appointment& consultation = consultations[0];
  const clinic::v1::Appointment session = MustBook(Draft(At(monday_, 10), "", jonas.name()));
  SetTime(At(monday_, 9, 30));
  const ProgramResult check_in = Ctl({"appointment", "check-in", IdOf(session.name())});
  EXPECT_EQ(check_in.exit_code, 1);
  EXPECT_THAT(check_in.err, HasSubstr("CONSULTATION_REQUIRED: the consultation before the first "
                                      "session has no outcome yet; the clinician records it "
                                      "(clinician key): clinicctl consultation record " +
                                      IdOf(consultation.name())));
  EXPECT_THAT(check_in.err, Not(ContainsRegex(kUtcStamp)));
}

TEST_F(CareTest, RefusesFlagsThatDoNotGoTogetherBeforeAskingClinicd) {
  const std::string at = "--at=" + DayText(monday_) + " 10:00";
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"appointment", "book", "--patient=Anna Schmidt", at, "--consultation", "--numbing"},
            "--numbing: a consultation has no procedure to numb"},
           {{"appointment", "book", "--patient=Anna Schmidt", at, "--consultation", "--series=x"},
            "--series: a consultation is not a session of a series"},
           {{"appointment", "book", "--patient=Anna Schmidt", at, "--override=SERIES_SPACING"},
            "--justification: --override needs --justification=TEXT"},
           {{"appointment", "reschedule", "01m83v1pchhgpt53czaab6n9t2", at, "--justification=ill"},
            "--override: --justification goes with --override"},
           {{"consultation", "record", "01m83v1pchhgpt53czaab6n9t2", "--indication=acne_scars"},
            "--suitable: say what the clinician found"},
           {{"consultation", "record", "01m83v1pchhgpt53czaab6n9t2", "--suitable"},
            "--indication: is required with --suitable"},
           {{"screening", "review", "Anna Schmidt", "--outcome=fine", "--reason=x",
             "--practitioner=Dr. Weber"},
            "--outcome: \"fine\" is not an outcome"},
           {{"screening", "review", "Anna Schmidt", "--outcome=cleared", "--reason=x"},
            "needs --practitioner"},
           {{"timeoff", "add", "--practitioner=Dr. Weber", "--from=" + DayText(monday_),
             "--to=" + DayText(monday_ - 1)},
            "--to: must be after --from"},
           {{"consent", "export", "Anna Schmidt"}, "needs --out"},
       }) {
    const ProgramResult result = Ctl(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.args[0] << " " << c.args[1] << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.says));
    EXPECT_EQ(result.out, "");
  }
  EXPECT_TRUE(Visits(patient_.name(), false).empty());
}

TEST_F(CareTest, AClinicianReviewsAScreeningThatNeedsIt) {
  const clinic::v1::Patient jonas = NewPatient("Jonas", "Keller");
  ASSERT_EQ(Ctl({"consent", "sign", "Jonas Keller", "--shown"}).exit_code, 0);
  const ProgramResult screened =
      Ctl({"screening", "submit", "Jonas Keller", "--answer=other_medications=yes"});
  ASSERT_EQ(screened.exit_code, 0) << screened.err;
  EXPECT_THAT(screened.out, HasSubstr("NEEDS REVIEW"));
  EXPECT_THAT(Ctl({"consent", "status", "Jonas Keller"}).out,
              AllOf(HasSubstr("NOT TREATABLE"), HasSubstr("REVIEW_REQUIRED")));

  const std::vector<std::string> review = {"screening",
                                           "review",
                                           "Jonas Keller",
                                           "--outcome=cleared",
                                           "--practitioner=Dr. Weber",
                                           "--reason=blood thinner paused by the GP"};
  const ProgramResult denied = Ctl(review, front_desk_key_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("may not call ReviewScreening; that is a clinician's"));

  // A review decides; "needs review" is not a decision clinicd takes.
  const ProgramResult undecided =
      Ctl({"screening", "review", "Jonas Keller", "--outcome=needs_review",
           "--practitioner=Dr. Weber", "--reason=unsure"});
  EXPECT_EQ(undecided.exit_code, 1);
  EXPECT_THAT(undecided.err, HasSubstr("--outcome (review.outcome)"));

  const ProgramResult reviewed = Ctl(review);
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  EXPECT_THAT(reviewed.out, HasSubstr("Reviewed screening "));
  EXPECT_THAT(reviewed.out, HasSubstr("of Jonas Keller (Microneedling, submitted "));
  EXPECT_THAT(reviewed.out, HasSubstr(": CLEARED by Dr. Weber (the answers gave needs review): "
                                      "blood thinner paused by the GP"));
  EXPECT_THAT(Ctl({"consent", "status", "Jonas Keller"}).out, HasSubstr(": TREATABLE"));
}

TEST_F(CareTest, WithdrawsAConsentFlagsWhatIsBookedAndExportsItsPdf) {
  ConsultFirst(At(monday_ - 7, 9), false);
  const clinic::v1::Appointment booked = MustBook(Draft(At(monday_, 10)));
  const std::string pdf = absl::StrCat(::testing::TempDir(), "/care_consent_", getpid(), ".pdf");

  const ProgramResult exported =
      Ctl({"consent", "export", "Anna Schmidt", "--out=" + pdf}, front_desk_key_);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out,
              AllOf(StartsWith("Wrote " + pdf + " ("),
                    HasSubstr("of Anna Schmidt, Microneedling form v"), HasSubstr("(active)")));
  std::ifstream file(pdf, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  EXPECT_THAT(bytes.str(), StartsWith("%PDF"));
  EXPECT_GT(bytes.str().size(), 500u);

  const ProgramResult withdrawn =
      Ctl({"consent", "withdraw", "Anna Schmidt", "--reason=changed her mind"}, front_desk_key_);
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.err;
  EXPECT_THAT(withdrawn.out, HasSubstr("Withdrawn: consent "));
  EXPECT_THAT(withdrawn.out, HasSubstr("changed her mind"));
  EXPECT_THAT(withdrawn.out, ContainsRegex("Flagged: [^\n]*" + IdOf(booked.name())));
  EXPECT_THAT(withdrawn.out, HasSubstr("clinicctl consent sign " + IdOf(patient_.name())));
  const std::vector<clinic::v1::Consent> consents = ConsentsOf(patient_.name());
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0].state(), clinic::v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(consents[0].withdraw_reason(), "changed her mind");
  EXPECT_TRUE(GetAppointment(booked.name()).consent_withdrawn());

  // Nothing active is left to withdraw; the withdrawn one still exports, by its id.
  const ProgramResult again =
      Ctl({"consent", "withdraw", "Anna Schmidt", "--reason=twice"}, front_desk_key_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("no active microneedling consent of Anna Schmidt on file"));
  const ProgramResult by_id = Ctl(
      {"consent", "export", IdOf(consents[0].name()), "--patient=Anna Schmidt", "--out=" + pdf});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_THAT(by_id.out, HasSubstr("(withdrawn)"));
  std::remove(pdf.c_str());
}

TEST_F(CareTest, TimeOffAndClosuresKeepBookingsOut) {
  ConsultFirst(At(monday_ - 7, 9), false);
  const std::string day = DayText(monday_);
  const std::vector<std::string> book = {"appointment",
                                         "book",
                                         "--patient=Anna Schmidt",
                                         "--practitioner=Dr. Weber",
                                         "--room=Room 1",
                                         "--at=" + day + " 10:00"};

  // A clinician records their own time off (the front desk may too).
  const ProgramResult added =
      Ctl({"timeoff", "add", "--practitioner=Dr. Weber", "--from=" + day + " 09:00",
           "--to=" + day + " 13:00", "--reason=training"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("Time off for Dr. Weber: " + Shown(At(monday_, 9)) + " to " +
                                   Shown(At(monday_, 13)) + " (training)"));
  const ProgramResult listed = Ctl({"timeoff", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string row = LineWith(listed.out, "training");
  EXPECT_THAT(row, AllOf(HasSubstr("Dr. Weber"), HasSubstr(Shown(At(monday_, 9)))));
  const std::string time_off_id = row.substr(row.rfind(' ') + 1);
  ASSERT_FALSE(time_off_id.empty());

  const ProgramResult refused = Ctl(book, front_desk_key_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("(OUTSIDE_WORKING_HOURS)"));
  EXPECT_THAT(refused.err, HasSubstr("the practitioner is off until " + Shown(At(monday_, 13))));
  EXPECT_THAT(refused.err, Not(ContainsRegex(kUtcStamp)));

  const ProgramResult deleted = Ctl({"timeoff", "delete", time_off_id}, front_desk_key_);
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_THAT(deleted.out, HasSubstr("Deleted time off " + time_off_id + " of Dr. Weber"));
  EXPECT_THAT(Ctl({"timeoff", "list", "--practitioner=Dr. Weber"}).out,
              HasSubstr("No time off recorded."));

  // A closure of the whole next day: booking it is refused until it is deleted.
  const std::string tuesday = DayText(monday_ + 1);
  const ProgramResult closed =
      Ctl({"closure", "add", "--from=" + tuesday, "--to=" + tuesday, "--reason=team day"},
          front_desk_key_);
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_THAT(closed.out, HasSubstr("Closed: Hautzentrum Mitte, " + Shown(At(monday_ + 1, 0)) +
                                    " to " + Shown(At(monday_ + 2, 0)) + " (team day)"));
  const std::string closure_row = LineWith(Ctl({"closure", "list"}).out, "team day");
  const std::string closure_id = closure_row.substr(closure_row.rfind(' ') + 1);
  ASSERT_FALSE(closure_id.empty());
  std::vector<std::string> on_tuesday = book;
  on_tuesday.back() = "--at=" + tuesday + " 10:00";
  const ProgramResult shut = Ctl(on_tuesday, front_desk_key_);
  EXPECT_EQ(shut.exit_code, 1);
  EXPECT_THAT(shut.err, HasSubstr("the clinic is closed until " + Shown(At(monday_ + 2, 0))));
  ASSERT_EQ(Ctl({"closure", "delete", closure_id}, front_desk_key_).exit_code, 0);
  EXPECT_THAT(Ctl({"closure", "list"}).out, HasSubstr("No closures recorded."));

  // Both gone: Monday and Tuesday book.
  const ProgramResult monday = Ctl(book, front_desk_key_);
  EXPECT_EQ(monday.exit_code, 0) << monday.err;
  EXPECT_EQ(Visits(patient_.name(), false).size(), 1u);
}

TEST_F(CareTest, OnlyAClinicianBooksPastTheCourseRulesWithAReason) {
  ConsultFirst(At(monday_ - 7, 9), false);
  const clinic::v1::Series series = MustCreateSeries("acne_scars");
  const std::string series_id = IdOf(series.name());
  MustBook(Draft(At(monday_, 10), series.name()));
  // A week later is weeks before session 2's window opens.
  const std::string week_later = DayText(monday_ + 7);
  const std::vector<std::string> book = {"appointment", "book", "--patient=Anna Schmidt",
                                         "--series=" + series_id, "--at=" + week_later + " 10:00"};

  const ProgramResult spaced = Ctl(book);
  EXPECT_EQ(spaced.exit_code, 1);
  EXPECT_THAT(spaced.err, HasSubstr("(SERIES_SPACING)"));
  EXPECT_THAT(spaced.err, HasSubstr("a clinician may book past it: clinicctl appointment book ... "
                                    "--override=SERIES_SPACING --justification=WHY"));
  EXPECT_THAT(spaced.err, Not(ContainsRegex(kUtcStamp)));

  std::vector<std::string> overridden = book;
  overridden.push_back("--override=series_spacing");
  overridden.push_back("--justification=patient travels abroad for two months");
  const ProgramResult front_desk = Ctl(overridden, front_desk_key_);
  EXPECT_EQ(front_desk.exit_code, 1);
  EXPECT_THAT(front_desk.err, HasSubstr("(OVERRIDE_NEEDS_CLINICIAN)"));
  EXPECT_THAT(front_desk.err, HasSubstr("have a clinician run it with their key"));

  const ProgramResult booked = Ctl(overridden);
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  const std::vector<clinic::v1::Appointment> appointments = Visits(patient_.name(), false);
  ASSERT_EQ(appointments.size(), 2u);
  const clinic::v1::Appointment& second = appointments.back();
  EXPECT_EQ(second.series(), series.name());
  EXPECT_THAT(second.rule_override().reasons(), ::testing::ElementsAre("SERIES_SPACING"));
  EXPECT_EQ(second.rule_override().justification(), "patient travels abroad for two months");
  const ProgramResult shown = Ctl({"appointment", "show", IdOf(second.name())});
  EXPECT_THAT(LineWith(shown.out, "Override:"),
              HasSubstr("SERIES_SPACING: patient travels abroad for two months (decided "));
  EXPECT_THAT(LineWith(shown.out, "Flags:"), HasSubstr("override"));

  // Moving it needs the override again: it was decided for the old time.
  const std::string moved_to = "--at=" + DayText(monday_ + 8) + " 10:00";
  const ProgramResult moved = Ctl({"appointment", "reschedule", IdOf(second.name()), moved_to,
                                   "--override=SERIES_SPACING", "--justification=still abroad"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(GetAppointment(second.name()).rule_override().justification(), "still abroad");
  const ProgramResult plain = Ctl({"appointment", "reschedule", IdOf(second.name()),
                                   "--at=" + DayText(monday_ + 9) + " 10:00"});
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_THAT(plain.err, HasSubstr("(SERIES_SPACING)"));
  EXPECT_THAT(plain.err, HasSubstr("clinicctl appointment reschedule ... --override="));
}

TEST_F(CareTest, ACheckInTooEarlyIsShownOnTheClinicsClock) {
  ConsultFirst(At(monday_ - 7, 9), true);
  const clinic::v1::Appointment booked = MustBook(Draft(At(monday_, 10)));
  const std::string id = IdOf(booked.name());

  SetTime(At(monday_, 8, 30));
  const ProgramResult early = Ctl({"appointment", "check-in", id}, front_desk_key_);
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("(TOO_EARLY)"));
  EXPECT_THAT(early.err, HasSubstr("check-in opens at " + Shown(At(monday_, 9)) +
                                   "; try again then: clinicctl appointment check-in " + id));
  EXPECT_THAT(early.err, Not(ContainsRegex(kUtcStamp)));
  EXPECT_EQ(GetAppointment(booked.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);

  SetTime(At(monday_, 9));
  const ProgramResult on_time = Ctl({"appointment", "check-in", id}, front_desk_key_);
  ASSERT_EQ(on_time.exit_code, 0) << on_time.err;
  // Completing waits for the start.
  const ProgramResult too_soon = Ctl({"appointment", "complete", id, "--summary=full face"});
  EXPECT_EQ(too_soon.exit_code, 1);
  EXPECT_THAT(too_soon.err, HasSubstr("the session starts at " + Shown(At(monday_, 10)) +
                                      "; record it once it has begun"));
  EXPECT_THAT(too_soon.err, Not(ContainsRegex(kUtcStamp)));
}

TEST_F(CareTest, AScreeningDeferralIsShownOnTheClinicsClock) {
  const clinic::v1::Practitioner night =
      MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Nacht");
  const clinic::v1::Patient jonas = NewPatient("Jonas", "Keller");
  ASSERT_EQ(Ctl({"consent", "sign", "Jonas Keller", "--shown"}).exit_code, 0);
  // A peel yesterday defers microneedling for 7 days from it.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), Berlin());
  ASSERT_EQ(Ctl({"screening", "submit", "Jonas Keller",
                 "--answer=peel_or_laser_last=" + DayText(today - 1)})
                .exit_code,
            0);
  ConsultFirst(At(today + 1, 10), false, jonas.name(), night.name());
  const ProgramResult deferred =
      Ctl({"appointment", "book", "--patient=Jonas Keller", "--practitioner=Dr. Nacht",
           "--room=Room 1", "--at=" + DayText(today + 2) + " 10:00"});
  EXPECT_EQ(deferred.exit_code, 1);
  EXPECT_THAT(deferred.err, HasSubstr("(DEFERRED)"));
  EXPECT_THAT(deferred.err, HasSubstr("earliest treatable " + Shown(At(today + 6, 0))));
  EXPECT_THAT(deferred.err, Not(ContainsRegex(kUtcStamp)));
  const ProgramResult status = Ctl({"consent", "status", "Jonas Keller"});
  EXPECT_THAT(status.out, HasSubstr(Shown(At(today + 6, 0))));
  EXPECT_THAT(status.out, Not(ContainsRegex(kUtcStamp)));
}

TEST_F(CareTest, ATimeInThePastIsCalledThat) {
  const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), Berlin()) - 1;
  const ProgramResult booked = Ctl(
      {"appointment", "book", "--patient=Anna Schmidt", "--at=" + DayText(yesterday) + " 10:00"});
  EXPECT_EQ(booked.exit_code, 2);
  EXPECT_THAT(booked.err,
              HasSubstr("--at " + Shown(At(yesterday, 10)) + " is in the past (it is now "));
  EXPECT_THAT(booked.err, Not(HasSubstr("no practitioner is free")));
  EXPECT_TRUE(Visits(patient_.name(), false).empty());

  ConsultFirst(At(monday_ - 7, 9), false);
  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 10)));
  const ProgramResult moved = Ctl({"appointment", "reschedule", IdOf(appointment.name()),
                                   "--at=" + DayText(yesterday) + " 10:00"});
  EXPECT_EQ(moved.exit_code, 2);
  EXPECT_THAT(moved.err, HasSubstr("is in the past (it is now "));

  const ProgramResult slots = Ctl({"slots", "--from=" + DayText(yesterday)});
  EXPECT_EQ(slots.exit_code, 2);
  EXPECT_THAT(slots.err,
              HasSubstr("--from " + absl::FormatTime("%a %Y-%m-%d", At(yesterday, 12), Berlin()) +
                        " is in the past (today is "));
}

TEST_F(CareTest, AMisspeltPatientNameSuggestsTheClosest) {
  NewPatient("Anne", "Schmitt");
  NewPatient("Jonas", "Keller");
  const ProgramResult booked =
      Ctl({"appointment", "book", "--patient=Anna Schmit", "--at=" + DayText(monday_) + " 10:00"});
  EXPECT_EQ(booked.exit_code, 2);
  EXPECT_THAT(booked.err, HasSubstr("--patient: no patient matches \"Anna Schmit\"; did you mean: "
                                    "Anna Schmidt, Anne Schmitt?"));
  EXPECT_THAT(Ctl({"consent", "status", "Ana Schmidt"}).err,
              HasSubstr("did you mean: Anna Schmidt?"));
  EXPECT_THAT(Ctl({"slots", "--patient=keler"}).err, HasSubstr("did you mean: Jonas Keller?"));
  const ProgramResult nobody = Ctl({"consent", "status", "Zora Quist"});
  EXPECT_EQ(nobody.exit_code, 2);
  EXPECT_THAT(nobody.err, AllOf(HasSubstr("no patient matches \"Zora Quist\""),
                                Not(HasSubstr("did you mean"))));
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
