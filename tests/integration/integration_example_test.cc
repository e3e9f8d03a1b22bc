// The Python integration example (clients/integration_example/
// mirror_appointments.py), run as a third party would run it against a real
// clinicd: it mirrors the clinic's appointments from the event feed into a
// JSON file, and a second run resumes after its saved cursor, applying only
// what happened since — no gap, no event twice.

#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"
#include "tests/testing/run_program.h"

namespace clinicd::testing {
namespace {

using plugins::test_time::At;

class IntegrationExampleTest : public CourseTest {
 protected:
  void SetUp() override {
    CourseTest::SetUp();
    if (HasFatalFailure()) return;
    integration_key_ = server_.CreateKey("integration");
    char dir_template[] = "/tmp/clinicd-mirror-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    state_dir_ = dir_template;
  }

  void TearDown() override {
    test_util::RunProgram({"/bin/rm", "-rf", state_dir_});
    CourseTest::TearDown();
  }

  // Runs the example for a few seconds; the events it applied, one line each.
  std::vector<std::string> RunMirror() {
    test_util::ProgramResult run = test_util::RunProgram(
        {"/usr/bin/python3", std::string(CLINICD_SOURCE_DIR) +
                                 "/clients/integration_example/mirror_appointments.py",
         "--server=" + server_.address(), "--clinic=" + clinic_.name(),
         "--state-dir=" + state_dir_, "--run-for=3"},
        {"CLINICD_API_KEY=" + integration_key_}, absl::Seconds(120));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
    return lines;
  }

  // The mirrored appointment `name`'s state, e.g. APPOINTMENT_STATE_BOOKED.
  std::string MirroredState(const std::string& name) {
    std::ifstream file(state_dir_ + "/appointments.json");
    std::stringstream text;
    text << file.rdbuf();
    google::protobuf::Struct mirror;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &mirror).ok())
        << text.str();
    auto found = mirror.fields().find(name);
    if (found == mirror.fields().end()) return "<not mirrored>";
    return found->second.struct_value().fields().at("state").string_value();
  }

  std::string integration_key_;
  std::string state_dir_;
};

TEST_F(IntegrationExampleTest, MirrorsAppointmentsAndResumesAfterItsCursor) {
  const clinic::v1::Appointment first = MustBook(Draft(At(monday_, 10)));
  std::vector<std::string> applied = RunMirror();
  // The fixture patient's consultation (booked, checked in, completed) and
  // consent signature, then the booking.
  ASSERT_EQ(applied.size(), 5u) << ::testing::PrintToString(applied);
  const std::string consultation = consulted_[patient_.name()];
  EXPECT_NE(applied[0].find("EVENT_KIND_APPOINTMENT_BOOKED " + consultation), std::string::npos);
  EXPECT_NE(applied[2].find("EVENT_KIND_APPOINTMENT_COMPLETED " + consultation), std::string::npos);
  EXPECT_NE(applied[3].find("EVENT_KIND_CONSENT_SIGNED"), std::string::npos);
  EXPECT_NE(applied[4].find("EVENT_KIND_APPOINTMENT_BOOKED " + first.name()), std::string::npos);
  EXPECT_EQ(MirroredState(consultation), "APPOINTMENT_STATE_COMPLETED");
  EXPECT_EQ(MirroredState(first.name()), "APPOINTMENT_STATE_BOOKED");

  clinic::v1::Appointment cancelled;
  ASSERT_TRUE(Cancel(first.name(), &cancelled).ok());
  const clinic::v1::Appointment second = MustBook(Draft(At(monday_ + 1, 11)));
  std::vector<std::string> resumed = RunMirror();
  ASSERT_EQ(resumed.size(), 2u) << "only what happened since: " << ::testing::PrintToString(resumed);
  EXPECT_NE(resumed[0].find("EVENT_KIND_APPOINTMENT_CANCELLED " + first.name()), std::string::npos);
  EXPECT_NE(resumed[1].find("EVENT_KIND_APPOINTMENT_BOOKED " + second.name()), std::string::npos);
  EXPECT_EQ(MirroredState(first.name()), "APPOINTMENT_STATE_CANCELLED");
  EXPECT_EQ(MirroredState(second.name()), "APPOINTMENT_STATE_BOOKED");

  EXPECT_TRUE(RunMirror().empty()) << "nothing new, nothing applied";
}

}  // namespace
}  // namespace clinicd::testing
