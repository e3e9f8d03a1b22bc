#include "clients/clinicctl/refusal.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace clinicd::clinicctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A refusal as clinicd sends it: code and message, with an ErrorInfo (and a
// BadRequest when `violations` are given) in the details.
grpc::Status Refusal(grpc::StatusCode code, const std::string& message, const std::string& reason,
                     const std::map<std::string, std::string>& metadata = {},
                     const std::vector<std::pair<std::string, std::string>>& violations = {}) {
  google::rpc::Status details;
  details.set_code(code);
  details.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain("clinic.v1");
  info.mutable_metadata()->insert(metadata.begin(), metadata.end());
  details.add_details()->PackFrom(info);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const auto& [field, description] : violations) {
      auto* violation = bad_request.add_field_violations();
      violation->set_field(field);
      violation->set_description(description);
    }
    details.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(code, message, details.SerializeAsString());
}

grpc::Status Precondition(const std::string& message, const std::string& reason,
                          const std::map<std::string, std::string>& metadata = {}) {
  return Refusal(grpc::StatusCode::FAILED_PRECONDITION, message, reason, metadata);
}

class RefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &context_.zone));
    context_.action = "appointment check-in";
    context_.server = "clinicd.example:50051";
    context_.patient = "anna schmidt";
    context_.treatment = "microneedling";
  }

  std::vector<std::string> Describe(const grpc::Status& status) {
    return DescribeFailure(FromRpc(status), context_);
  }

  // Everything printed, one string.
  std::string Text(const grpc::Status& status) { return absl::StrJoin(Describe(status), "\n"); }

  RefusalContext context_;
};

TEST_F(RefusalTest, CheckInWithoutConsentOrScreeningSaysWhatToDoForEach) {
  const grpc::Status status = Precondition(
      "cannot check in: no current consent for Microneedling; sign form v2; no screening for "
      "Microneedling; submit the screening questions before the session",
      "CONSENT_REQUIRED", {{"reasons", "CONSENT_REQUIRED,SCREENING_REQUIRED"}});
  const std::vector<std::string> lines = Describe(status);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "appointment check-in refused by clinicd: cannot check in: no current consent for "
            "Microneedling; sign form v2; no screening for Microneedling; submit the screening "
            "questions before the session (CONSENT_REQUIRED)");
  EXPECT_THAT(lines[1], HasSubstr("CONSENT_REQUIRED: no current consent for microneedling"));
  EXPECT_THAT(lines[1], HasSubstr("sign the current consent form"));
  EXPECT_THAT(lines[1],
              HasSubstr("clinicctl consent status 'anna schmidt' --treatment=microneedling"));
  EXPECT_THAT(lines[1],
              HasSubstr("clinicctl consent sign 'anna schmidt' --treatment=microneedling, then"));
  EXPECT_THAT(lines[2], HasSubstr("SCREENING_REQUIRED: the patient answers the microneedling "
                                  "screening questions"));
  EXPECT_THAT(lines[2], HasSubstr("clinicctl screening submit 'anna schmidt' "
                                  "--treatment=microneedling, then"));
  EXPECT_EQ(ExitCodeFor(FromRpc(status)), kExitRefused);
}

TEST_F(RefusalTest, ReviewRequiredNeedsAClinician) {
  EXPECT_THAT(Text(Precondition("cannot check in: a clinician must review the screening",
                                "REVIEW_REQUIRED", {{"reasons", "REVIEW_REQUIRED"}})),
              HasSubstr("REVIEW_REQUIRED: a clinician reviews the patient's screening"));
}

TEST_F(RefusalTest, DeferredAndContraindicatedGiveTheEarliestTreatableLocalTime) {
  const std::string deferred = Text(Precondition(
      "cannot book this session: treatment deferred until 2027-04-02T08:00:00Z", "DEFERRED",
      {{"reasons", "DEFERRED"}, {"earliest_treatable_time", "2027-04-02T08:00:00Z"}}));
  EXPECT_THAT(deferred, HasSubstr("DEFERRED: treatment is deferred; earliest treatable "
                                  "Fri 2027-04-02 10:00 CEST"));
  EXPECT_THAT(deferred, HasSubstr("clinicctl slots --treatment=microneedling "
                                  "--patient='anna schmidt' --from=2027-04-02"));
  const std::string contraindicated = Text(Precondition(
      "cannot check in: not treatable until 2027-12-01T11:00:00Z", "CONTRAINDICATED",
      {{"reasons", "CONTRAINDICATED"}, {"earliest_treatable_time", "2027-12-01T11:00:00Z"}}));
  EXPECT_THAT(contraindicated, HasSubstr("CONTRAINDICATED: not treatable; earliest treatable "
                                         "Wed 2027-12-01 12:00 CET"));
  // When an action is needed too, clinicd sends no earliest time.
  const std::string mixed = Text(Precondition("cannot check in: ...", "CONSENT_REQUIRED",
                                              {{"reasons", "CONSENT_REQUIRED,DEFERRED"}}));
  EXPECT_THAT(mixed, HasSubstr("DEFERRED: treatment is deferred by the screening; clinicctl "
                               "consent status 'anna schmidt' --treatment=microneedling says "
                               "until when"));
}

TEST_F(RefusalTest, SlotTakenShowsTheConflictInLocalTimeAndWhereToLook) {
  const std::vector<std::string> lines = Describe(Precondition(
      "the practitioner already has an appointment from 2027-03-15 10:00 CET to 2027-03-15 "
      "11:00 CET; choose another time from SearchAvailability",
      "SLOT_TAKEN",
      {{"taken_by", "practitioner"},
       {"conflict_start_time", "2027-03-15T09:00:00Z"},
       {"conflict_end_time", "2027-03-15T10:00:00Z"}}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("(SLOT_TAKEN)"));
  EXPECT_EQ(lines[1], "the practitioner is booked Mon 2027-03-15 10:00-11:00 CET");
  EXPECT_EQ(lines[2],
            "find a free time: clinicctl slots --treatment=microneedling "
            "--patient='anna schmidt' --from=2027-03-15");
}

TEST_F(RefusalTest, SeriesSpacingGivesTheEarliestLocalTime) {
  const grpc::Status status =
      Precondition("session 2 of clinics/c/series/s can be no earlier than 2027-04-12 10:00",
                   "SERIES_SPACING", {{"earliest_time", "2027-04-12T08:00:00Z"}, {"session", "2"}});
  context_.action = "appointment book";
  std::vector<std::string> lines = Describe(status);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "earliest Mon 2027-04-12 10:00 CEST (session 2 of the series)");
  EXPECT_THAT(lines[2], HasSubstr("clinicctl slots"));
  EXPECT_EQ(lines[3],
            "a clinician may book past it: clinicctl appointment book ... "
            "--override=SERIES_SPACING --justification=WHY (with a clinician's key)");
  context_.series = "01series";
  lines = Describe(status);
  EXPECT_EQ(lines[2], "free times in the session's window: clinicctl series plan 01series");
}

TEST_F(RefusalTest, OutsideWorkingHoursSaysTheHoursOrUntilWhen) {
  EXPECT_THAT(Text(Precondition("outside the practitioner's working hours", "OUTSIDE_WORKING_HOURS",
                                {{"cause", "working_hours"}, {"working_hours", "09:00-17:00"}})),
              HasSubstr("the practitioner works 09:00-17:00 that day"));
  EXPECT_THAT(Text(Precondition("the clinic is closed", "OUTSIDE_WORKING_HOURS",
                                {{"cause", "closure"}, {"until_time", "2027-01-02T07:00:00Z"}})),
              HasSubstr("the clinic is closed until Sat 2027-01-02 08:00 CET"));
  EXPECT_THAT(Text(Precondition("time off", "OUTSIDE_WORKING_HOURS",
                                {{"cause", "time_off"}, {"until_time", "2027-07-01T16:00:00Z"}})),
              HasSubstr("the practitioner is off until Thu 2027-07-01 18:00 CEST"));
}

TEST_F(RefusalTest, SeriesRoomPractitionerAndStateRefusalsPointAtTheNextCommand) {
  EXPECT_THAT(Text(Precondition("all 6 sessions are booked", "SERIES_FULL",
                                {{"series", "clinics/c/series/s1"}})),
              HasSubstr("clinicctl series show clinics/c/series/s1"));
  EXPECT_THAT(Text(Precondition("completed", "SERIES_CLOSED", {{"series", "clinics/c/series/s1"}})),
              HasSubstr("book without --series, or plan a new one with clinicctl series create"));
  EXPECT_THAT(Text(Precondition("lacks", "ROOM_UNSUITABLE",
                                {{"room", "clinics/c/rooms/r"},
                                 {"missing_capabilities", "microneedling_device"}})),
              HasSubstr("the room lacks microneedling_device"));
  EXPECT_THAT(Text(Precondition("not qualified", "PRACTITIONER_NOT_AVAILABLE")),
              HasSubstr("choose an active practitioner qualified for microneedling"));
  context_.appointment = "01appt";
  EXPECT_THAT(Text(Precondition("cannot move an appointment from BOOKED to COMPLETED",
                                "INVALID_STATE_TRANSITION",
                                {{"from_state", "BOOKED"}, {"to_state", "COMPLETED"}})),
              HasSubstr("check the patient in first: clinicctl appointment check-in 01appt"));
  EXPECT_THAT(Text(Precondition("cannot move an appointment from CANCELLED to CHECKED_IN",
                                "INVALID_STATE_TRANSITION",
                                {{"from_state", "CANCELLED"}, {"to_state", "CHECKED_IN"}})),
              HasSubstr("it is CANCELLED now and cannot become CHECKED_IN"));
  context_.action = "appointment no-show";
  EXPECT_THAT(Text(Precondition("not yet", "TOO_EARLY")),
              HasSubstr("only once the appointment has started"));
}

// No line of `text` shows a UTC timestamp.
void ExpectNoUtc(const std::string& text) {
  EXPECT_THAT(text, ::testing::Not(::testing::ContainsRegex("[0-9]Z|UTC|T[0-9][0-9]:")));
}

TEST_F(RefusalTest, TooEarlyForCheckInSaysWhenItOpensOnTheClinicsClock) {
  context_.appointment = "01appt";
  const grpc::Status status =
      Precondition("check-in for the session at 2027-01-05T07:00:00Z opens at 2027-01-05T06:00:00Z",
                   "TOO_EARLY", {{"earliest_time", "2027-01-05T06:00:00Z"}});
  const std::vector<std::string> lines = Describe(status);
  EXPECT_THAT(lines, ElementsAre("appointment check-in refused by clinicd: check-in for the "
                                 "session at Tue 2027-01-05 08:00 CET opens at Tue 2027-01-05 "
                                 "07:00 CET (TOO_EARLY)",
                                 "check-in opens at Tue 2027-01-05 07:00 CET; try again then: "
                                 "clinicctl appointment check-in 01appt"));
  ExpectNoUtc(absl::StrJoin(lines, "\n"));
  context_.action = "appointment complete";
  EXPECT_THAT(Text(Precondition("a session can be completed only once it has started", "TOO_EARLY",
                                {{"earliest_time", "2027-01-05T07:00:00Z"}})),
              HasSubstr("the session starts at Tue 2027-01-05 08:00 CET; record it once it has "
                        "begun: clinicctl appointment complete 01appt"));
  context_.action = "consultation record";
  EXPECT_THAT(
      Text(Precondition("not yet", "TOO_EARLY", {{"earliest_time", "2027-01-05T07:00:00Z"}})),
      HasSubstr("record it once it has begun: clinicctl consultation record 01appt"));
}

TEST_F(RefusalTest, TooLateSaysWhenTheSessionEndedAndWhatToDoInstead) {
  context_.appointment = "01appt";
  const std::string text = Text(Precondition(
      "the session ended at 2027-01-05 09:00 CET; mark it as a no-show, or reschedule it",
      "TOO_LATE", {{"end_time", "2027-01-05T08:00:00Z"}}));
  EXPECT_THAT(text, HasSubstr("the session ended at Tue 2027-01-05 09:00 CET: record that the "
                              "patient did not come: clinicctl appointment no-show 01appt, or "
                              "move it: clinicctl appointment reschedule 01appt --at="));
  ExpectNoUtc(text);
}

TEST_F(RefusalTest, ConsultationRequiredSaysHowToBookOrRecordOne) {
  context_.action = "appointment book";
  const std::string none = Text(Precondition(
      "a first session of Microneedling needs a consultation before it; the patient has none "
      "booked",
      "CONSULTATION_REQUIRED",
      {{"reasons", "CONSULTATION_REQUIRED"},
       {"advice_CONSULTATION_REQUIRED",
        "book a consultation (kind CONSULTATION) for Microneedling before this session"}}));
  EXPECT_THAT(none, HasSubstr("CONSULTATION_REQUIRED: a first session of microneedling needs a "
                              "consultation before it; book one: clinicctl appointment book "
                              "--patient='anna schmidt' --treatment=microneedling "
                              "--consultation --at="));
  EXPECT_THAT(none, HasSubstr("then record its outcome: clinicctl consultation record"));

  context_.action = "appointment check-in";
  const std::string unrecorded = Text(Precondition(
      "the consultation on 2027-01-04 10:00 CET has no outcome recorded", "CONSULTATION_REQUIRED",
      {{"reasons", "CONSULTATION_REQUIRED"},
       {"advice_CONSULTATION_REQUIRED",
        "the clinician records its outcome (RecordConsultationOutcome) before the first "
        "session: clinics/c1/appointments/01consult"}}));
  EXPECT_THAT(unrecorded, HasSubstr("the clinician records it (clinician key): clinicctl "
                                    "consultation record 01consult --suitable --indication="));

  const std::string unsuitable = Text(Precondition(
      "the consultation on 2027-01-04 10:00 CET found the patient not suitable for Microneedling",
      "CONSULTATION_REQUIRED",
      {{"reasons", "CONSULTATION_REQUIRED"},
       {"advice_CONSULTATION_REQUIRED",
        "a clinician must find the patient suitable first; book a consultation"}}));
  EXPECT_THAT(unsuitable, HasSubstr("the last consultation found the patient not suitable"));

  // Beside the clearance reasons of a check-in.
  const std::vector<std::string> mixed =
      Describe(Precondition("cannot check in", "CONSENT_REQUIRED",
                            {{"reasons", "CONSENT_REQUIRED,CONSULTATION_REQUIRED"}}));
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_THAT(mixed[2], HasSubstr("CONSULTATION_REQUIRED: a first session"));

  context_.appointment = "01consult";
  EXPECT_THAT(Text(Precondition("a consultation is completed by recording its outcome",
                                "CONSULTATION_OUTCOME_REQUIRED")),
              HasSubstr("clinicctl consultation record 01consult --suitable --indication=ID"));
}

TEST_F(RefusalTest, CourseRulesGiveTheirTimeAndTheClinicianOverride) {
  context_.action = "appointment reschedule";
  context_.series = "01series";
  const std::vector<std::string> closed = Describe(Precondition(
      "session 2 of clinics/c/series/01series had to be by 2027-02-16 10:00 CET",
      "SERIES_WINDOW_CLOSED", {{"latest_time", "2027-02-16T09:00:00Z"}, {"session", "2"}}));
  EXPECT_THAT(closed,
              ElementsAre(HasSubstr("(SERIES_WINDOW_CLOSED)"),
                          "latest Tue 2027-02-16 10:00 CET (session 2 of the series)",
                          "the session's window: clinicctl series plan 01series",
                          "a clinician may book past it: clinicctl appointment reschedule ... "
                          "--override=SERIES_WINDOW_CLOSED --justification=WHY (with a "
                          "clinician's key)"));

  context_.action = "appointment book";
  const std::string repeat = Text(Precondition(
      "a new course of Microneedling can start no sooner than 6 months after ...",
      "REPEAT_COURSE_TOO_SOON",
      {{"earliest_time", "2027-07-05T08:00:00Z"}, {"last_session_time", "2027-01-05T09:00:00Z"}}));
  EXPECT_THAT(repeat, HasSubstr("earliest Mon 2027-07-05 10:00 CEST: a new course waits after "
                                "the last one, whose final session was Tue 2027-01-05 10:00 CET"));
  EXPECT_THAT(repeat, HasSubstr("--from=2027-07-05"));
  EXPECT_THAT(repeat, HasSubstr("--override=REPEAT_COURSE_TOO_SOON --justification=WHY"));

  const std::string maintenance =
      Text(Precondition("maintenance Microneedling is due from 2027-07-05 10:00 CEST",
                        "MAINTENANCE_TOO_SOON", {{"earliest_time", "2027-07-05T08:00:00Z"}}));
  EXPECT_THAT(maintenance, HasSubstr("earliest Mon 2027-07-05 10:00 CEST: maintenance is due"));
  EXPECT_THAT(maintenance, HasSubstr("--override=MAINTENANCE_TOO_SOON"));

  EXPECT_THAT(Text(Refusal(grpc::StatusCode::PERMISSION_DENIED,
                           "only a clinician (or admin) key may override the protocol's rules",
                           "OVERRIDE_NEEDS_CLINICIAN", {{"role", "front_desk"}})),
              HasSubstr("only a clinician's (or an admin's) key may book past"));
}

TEST_F(RefusalTest, EveryUtcTimeBecomesLocalAndTimesInTheMetadataGetALine) {
  // A reason clinicctl has no advice for still shows its times on the clinic's clock.
  const std::vector<std::string> lines = Describe(Precondition(
      "treatment deferred until 2027-04-02T08:00:00Z; nothing before 2027-03-30T22:00:00.000Z",
      "SOMETHING_NEW",
      {{"earliest_time", "2027-04-02T08:00:00Z"}, {"end_time", "2027-04-01T08:00:00Z"}}));
  EXPECT_THAT(lines, ElementsAre("appointment check-in refused by clinicd: treatment deferred "
                                 "until Fri 2027-04-02 10:00 CEST; nothing before Wed 2027-03-31 "
                                 "00:00 CEST (SOMETHING_NEW)",
                                 "ended Thu 2027-04-01 10:00 CEST"));
  const std::vector<std::string> latest =
      Describe(Precondition("no", "SOMETHING_NEW",
                            {{"latest_time", "2027-04-02T08:00:00Z"},
                             {"earliest_treatable_time", "2027-03-02T08:00:00Z"}}));
  EXPECT_THAT(latest, ElementsAre(HasSubstr("(SOMETHING_NEW)"),
                                  "earliest treatable Tue 2027-03-02 09:00 CET",
                                  "latest Fri 2027-04-02 10:00 CEST"));
  // A field's description too, with the flag of a repeated field.
  context_.action = "appointment book";
  context_.field_flags = {{"appointment.rule_override.reasons", "override"}};
  EXPECT_THAT(Describe(Refusal(grpc::StatusCode::INVALID_ARGUMENT, "bad", "INVALID_FIELD", {},
                               {{"appointment.rule_override.reasons[1]",
                                 "`SLOT_TAKEN` cannot be "
                                 "overridden"},
                                {"appointment.start_time", "after 2027-04-02T08:00:00Z"}})),
              ElementsAre(HasSubstr("invalid request"),
                          "--override (appointment.rule_override.reasons[1]): `SLOT_TAKEN` "
                          "cannot be overridden",
                          "appointment.start_time: after Fri 2027-04-02 10:00 CEST"));
}

TEST_F(RefusalTest, InvalidArgumentListsEveryFieldOnItsOwnLineWithItsFlag) {
  context_.action = "appointment book";
  context_.field_flags = {{"appointment.start_time", "at"}};
  const std::vector<std::string> lines = Describe(
      Refusal(grpc::StatusCode::INVALID_ARGUMENT,
              "appointment.start_time: must not be in the past; appointment.room: is required",
              "INVALID_FIELD", {{"field", "appointment.start_time"}},
              {{"appointment.start_time", "must not be in the past"},
               {"appointment.room", "is required"}}));
  EXPECT_THAT(lines, ElementsAre("appointment book refused by clinicd: invalid request "
                                 "(INVALID_FIELD):",
                                 "--at (appointment.start_time): must not be in the past",
                                 "appointment.room: is required"));
}

TEST_F(RefusalTest, KeysAndRolesSayWhichKeyToUse) {
  EXPECT_THAT(
      Text(Refusal(grpc::StatusCode::UNAUTHENTICATED, "unknown API key", "INVALID_API_KEY")),
      HasSubstr("set --api_key (better: $CLINICD_API_KEY)"));
  const grpc::Status role = Refusal(
      grpc::StatusCode::PERMISSION_DENIED, "role `front_desk` may not call ...", "ROLE_NOT_ALLOWED",
      {{"role", "front_desk"}, {"method", "/clinic.v1.BookingService/CompleteAppointment"}});
  EXPECT_THAT(Text(role), HasSubstr("the key's role (front_desk) may not call "
                                    "CompleteAppointment; that is a clinician's"));
  EXPECT_EQ(ExitCodeFor(FromRpc(role)), kExitRefused);
  EXPECT_THAT(Text(Refusal(grpc::StatusCode::PERMISSION_DENIED, "no", "ROLE_NOT_ALLOWED",
                           {{"role", "integration"},
                            {"method", "/clinic.v1.FollowUpService/SnoozeRecall"}})),
              HasSubstr("may not call SnoozeRecall; ask the administrator for a key"));
  EXPECT_THAT(Text(Refusal(grpc::StatusCode::PERMISSION_DENIED, "no", "ROLE_NOT_ALLOWED",
                           {{"role", "front_desk"},
                            {"method", "/clinic.v1.BookingService/RecordConsultationOutcome"}})),
              HasSubstr("RecordConsultationOutcome; that is a clinician's"));
  EXPECT_THAT(Text(Refusal(grpc::StatusCode::NOT_FOUND, "no such patient", "NOT_FOUND")),
              HasSubstr("check the id, and that it belongs to the clinic"));
  EXPECT_THAT(Text(Refusal(grpc::StatusCode::ABORTED, "stale", "ETAG_MISMATCH")),
              HasSubstr("someone changed it meanwhile"));
}

TEST_F(RefusalTest, AnUnreachableServerIsExit3AndSaysWhereItLooked) {
  const grpc::Status unavailable(grpc::StatusCode::UNAVAILABLE,
                                 "failed to connect to all addresses");
  EXPECT_EQ(ExitCodeFor(FromRpc(unavailable)), kExitUnreachable);
  EXPECT_THAT(Describe(unavailable),
              ElementsAre("cannot reach clinicd at clinicd.example:50051: failed to connect to "
                          "all addresses",
                          "is clinicd running there? check --server (or $CLINICD_ADDRESS)"));
  context_.tls = true;
  EXPECT_THAT(Text(unavailable), HasSubstr("check --tls_ca and --tls_server_name"));
  EXPECT_EQ(ExitCodeFor(FromRpc(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late"))),
            kExitUnreachable);
}

TEST_F(RefusalTest, ClinicctlsOwnErrorsAreUsageOrRefusals) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), kExitOk);
  EXPECT_EQ(ExitCodeFor(FromRpc(grpc::Status::OK)), kExitOk);
  const absl::Status usage = absl::InvalidArgumentError("--at: \"soon\" is not a local time");
  EXPECT_EQ(ExitCodeFor(usage), kExitUsage);
  EXPECT_THAT(DescribeFailure(usage, context_), ElementsAre("--at: \"soon\" is not a local time"));
  const absl::Status busy = absl::FailedPreconditionError("no practitioner is free\nfree times: x");
  EXPECT_EQ(ExitCodeFor(busy), kExitRefused);
  EXPECT_THAT(DescribeFailure(busy, context_),
              ElementsAre("no practitioner is free", "free times: x"));
  // clinicd's INVALID_ARGUMENT is a refusal, not a usage error of clinicctl.
  EXPECT_EQ(ExitCodeFor(FromRpc(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad"))),
            kExitRefused);
}

TEST_F(RefusalTest, AStatusWithoutDetailsStillPrintsItsMessage) {
  EXPECT_THAT(Describe(grpc::Status(grpc::StatusCode::INTERNAL, "database is corrupt")),
              ElementsAre("appointment check-in refused by clinicd: database is corrupt"));
}

}  // namespace
}  // namespace clinicd::clinicctl
