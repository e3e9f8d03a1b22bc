// clinicctl, the binary, as scripts and mistakes meet it: --json output that
// parses as the response messages, help, usage errors (exit 2, naming the
// flag), and a server that cannot be reached (exit 3).

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/plugins/berlin_time.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::clinicd::plugins::test_time::At;
using ::clinicd::reminder_worker::testing::ClosedPort;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// `json` parsed into `message`; a test failure when it does not parse.
template <typename Message>
bool Parses(const std::string& json, Message* message) {
  const auto status = google::protobuf::util::JsonStringToMessage(json, message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return status.ok();
}

using CommandLineTest = ClinicctlTest;

TEST_F(CommandLineTest, JsonIsTheResponseMessagesInProtobufsMapping) {
  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 10)));

  const ProgramResult book = Ctl({"daybook", "--json", "--date=" + DayText(monday_)});
  ASSERT_EQ(book.exit_code, 0) << book.err;
  clinic::v1::ListAppointmentsResponse day;
  ASSERT_TRUE(Parses(book.out, &day));
  ASSERT_EQ(day.appointments_size(), 1);
  EXPECT_EQ(day.appointments(0).name(), appointment.name());
  EXPECT_THAT(book.out, HasSubstr("\"consentWithdrawn\": false"));  // defaults are printed

  const ProgramResult shown = Ctl({"appointment", "show", IdOf(appointment.name()), "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  clinic::v1::Appointment parsed;
  ASSERT_TRUE(Parses(shown.out, &parsed));
  EXPECT_EQ(parsed.start_time().seconds(), appointment.start_time().seconds());

  // Two calls, one object: {"clearance": ..., "consents": ...}; python agrees.
  const ProgramResult status = Ctl({"consent", "status", IdOf(patient_.name()), "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  google::protobuf::Struct object;
  ASSERT_TRUE(Parses(status.out, &object));
  EXPECT_TRUE(object.fields().at("clearance").struct_value().fields().at("treatable").bool_value());
  EXPECT_EQ(object.fields()
                .at("consents")
                .struct_value()
                .fields()
                .at("consents")
                .list_value()
                .values_size(),
            1);
  const std::string path = ::testing::TempDir() + "/consent_status.json";
  std::ofstream(path) << status.out;
  const ProgramResult python = test_util::RunProgram(
      {"/usr/bin/python3", "-c",
       "import json, sys; d = json.load(open(sys.argv[1])); print(d['clearance']['treatable'])",
       path});
  EXPECT_EQ(python.exit_code, 0) << python.err;
  EXPECT_EQ(python.out, "True\n");

  // A refusal: the message on stderr, clinicd's google.rpc.Status on stdout.
  const clinic::v1::Patient jonas = MakeReachablePatient("Jonas", "Keller");
  const clinic::v1::Appointment uncleared = MustBook(Draft(At(monday_, 12), "", jonas.name()));
  SetTime(At(monday_, 12));
  const ProgramResult refused = Ctl({"appointment", "check-in", IdOf(uncleared.name()), "--json"});
  EXPECT_EQ(refused.exit_code, 1);
  google::protobuf::Struct error;
  ASSERT_TRUE(Parses(refused.out, &error));
  const auto& fields = error.fields().at("error").struct_value().fields();
  EXPECT_EQ(fields.at("code").number_value(), 9);  // FAILED_PRECONDITION
  EXPECT_THAT(refused.out, HasSubstr("\"reason\": \"CONSENT_REQUIRED\""));
  EXPECT_THAT(refused.err, HasSubstr("CONSENT_REQUIRED"));
}

TEST_F(CommandLineTest, HelpListsTheCommandsAndEachOnesFlags) {
  const ProgramResult help = Ctl({"help"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* command :
       {"slots", "daybook", "appointment book", "appointment check-in", "patient search",
        "consent status", "series plan", "recall snooze", "outbox list"}) {
    EXPECT_THAT(help.out, HasSubstr(command));
  }
  const ProgramResult cancel = Ctl({"appointment", "cancel", "--help"});
  ASSERT_EQ(cancel.exit_code, 0);
  EXPECT_THAT(cancel.out,
              StartsWith("Usage: clinicctl appointment cancel APPOINTMENT --reason=..."));
  EXPECT_THAT(cancel.out, HasSubstr("(required)"));
  const ProgramResult flags = Ctl({"help", "flags"});
  ASSERT_EQ(flags.exit_code, 0);
  for (const char* flag : {"--clinic", "--json", "--timeout", "--server", "--api_key", "--tls ",
                           "--tls_ca", "--tls_server_name"}) {
    EXPECT_THAT(flags.out, HasSubstr(flag));
  }
  EXPECT_EQ(Ctl({"help", "series"}).exit_code, 0);
  EXPECT_THAT(Ctl({"help", "series"}).out, HasSubstr("series create"));
}

TEST_F(CommandLineTest, UsageErrorsExit2NamingTheFlag) {
  MakeReachablePatient("Anna", "Schneider");
  const std::string patient = "--patient=" + IdOf(patient_.name());
  const struct {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"appointment", "book", patient}, "appointment book needs --at"},
      {{"appointment", "book", patient, "--at=next tuesday"},
       "--at: \"next tuesday\" is not a local time"},
      {{"slots", "--limit=ten"}, "--limit must be a whole number, got \"ten\""},
      {{"slots", "--limit=0"}, "--limit: must be from 1 to 500"},
      {{"slots", "--bogus"}, "unknown flag --bogus"},
      {{"daybook", "--reason=late"}, "--reason is not a flag of `daybook`"},
      {{"daybook", "--date=2027-02-30"}, "--date: \"2027-02-30\" is not a date"},
      {{"slots", "--from=2027-01-01", "--to=2027-03-01"}, "--to: must be on or after --from"},
      {{"appointment", "show"}, "appointment show takes APPOINTMENT, got 0 arguments"},
      {{"appointment", "show", "clinics/x/patients/y"}, "neither an id nor a name of the form"},
      {{"appointment"}, "appointment needs one of: book, show, reschedule"},
      {{"frobnicate"}, "no command \"frobnicate\""},
      {{"slots", "--patient=Anna"}, "\"Anna\" matches 2 patients"},
      {{"slots", "--patient=Zoe Nobody"}, "no patient matches \"Zoe Nobody\""},
      {{"appointment", "book", "--patient=Anna Schmidt", "--at=tomorrow 10:00",
        "--practitioner=Dr. Who"},
       "--practitioner: no \"Dr. Who\"; the clinic has \"Dr. Weber\""},
      {{"recall", "snooze", "r1", "--snooze=soon"}, "--snooze: \"soon\" is not a duration"},
  };
  for (const auto& each : cases) {
    const ProgramResult result = Ctl(each.args);
    EXPECT_EQ(result.exit_code, 2) << each.args[0] << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(each.says));
  }
  const ProgramResult nothing = Ctl({});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_THAT(nothing.err, HasSubstr("Usage: clinicctl <command>"));

  // A bare id needs the clinic.
  const ProgramResult no_clinic =
      test_util::RunProgram({ClinicctlBinary(), "appointment", "show", "01h0000000000000000000000"},
                            {"CLINICD_ADDRESS=" + server_.address(),
                             "CLINICD_API_KEY=" + clinician_key_, "CLINICD_CLINIC="});
  EXPECT_EQ(no_clinic.exit_code, 2);
  EXPECT_THAT(no_clinic.err, HasSubstr("--clinic (or $CLINICD_CLINIC) is required"));
}

TEST(ClinicctlConnectionTest, AnUnreachableServerExits3) {
  const std::string address = absl::StrCat("127.0.0.1:", ClosedPort());
  const ProgramResult result = test_util::RunProgram(
      {ClinicctlBinary(), "daybook", "--clinic=c1", "--server=" + address},
      {"CLINICD_API_KEY=clinicd_whatever", "CLINICD_ADDRESS=", "CLINICD_CLINIC="});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("clinicctl: cannot reach clinicd at " + address));
  EXPECT_THAT(result.err, HasSubstr("check --server (or $CLINICD_ADDRESS)"));

  const ProgramResult no_key =
      test_util::RunProgram({ClinicctlBinary(), "daybook", "--clinic=c1", "--server=" + address},
                            {"CLINICD_API_KEY=", "CLINICD_ADDRESS=", "CLINICD_CLINIC="});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_EQ(no_key.err, "clinicctl: --api_key (or $CLINICD_API_KEY) is required\n");
}

TEST(ClinicctlConnectionTest, ABadKeyIsARefusalWithAdvice) {
  clinicd::testing::ClinicdProcess server;
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  const ProgramResult result =
      test_util::RunProgram({ClinicctlBinary(), "clinic", "list"},
                            {"CLINICD_API_KEY=clinicd_not-a-key",
                             "CLINICD_ADDRESS=" + server.address(), "CLINICD_CLINIC="});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("(INVALID_API_KEY)"));
  EXPECT_THAT(result.err, HasSubstr("set --api_key (better: $CLINICD_API_KEY)"));
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
