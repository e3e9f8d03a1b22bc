#include "tests/clinicctl/journey_fixture.h"

#include <google/protobuf/struct.pb.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace clinicd::clinicctl::testing {

using reminder_worker::testing::HelperProcess;
using reminder_worker::testing::ReadRecord;
using reminder_worker::testing::WorkerProcess;

std::string Words(const std::string& text) {
  return absl::StrJoin(absl::StrSplit(text, absl::ByAnyChar(" \n\r\t"), absl::SkipEmpty()), " ");
}

bool Eventually(int seconds, const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

void JourneyFixture::SetUp() {
  server_.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("microneedling"));
  server_.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("maintenance_recall"));
  admin_ = server_.CreateKey("admin");
  front_desk_ = server_.CreateKey("front_desk");
  clinician_ = server_.CreateKey("clinician");
  worker_key_ = server_.CreateKey("reminder_worker");
  ASSERT_FALSE(admin_.empty() || front_desk_.empty() || clinician_.empty() ||
               worker_key_.empty())
      << server_.CommandErrors();
  std::string error;
  // The server's clock stands still from the start; journeys move it.
  server_.UseTestClock("now");
  ASSERT_TRUE(server_.Start(&error)) << error;
  clock_ = clinicd::test_clock::v1::TestClockService::NewStub(server_.channel());
  smtp_ = HelperProcess::Start("smtp_receiver.py", {mail_.path()}, {}, &error);
  ASSERT_NE(smtp_, nullptr) << error;
}

ProgramResult JourneyFixture::Ctl(const std::vector<std::string>& args,
                                  const std::string& key) const {
  std::vector<std::string> argv = {ClinicctlBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = {"CLINICD_ADDRESS=" + server_.address(),
                                  "CLINICD_API_KEY=" + key};
  if (!clinic_.empty()) env.push_back("CLINICD_CLINIC=" + clinic_);
  return test_util::RunProgram(argv, env, absl::Seconds(30));
}

std::string JourneyFixture::Must(const std::vector<std::string>& args, const std::string& key) {
  const ProgramResult result = Ctl(args, key);
  EXPECT_EQ(result.exit_code, 0) << absl::StrJoin(args, " ") << "\n" << result.err;
  return result.out;
}

void JourneyFixture::SetTime(absl::Time time) {
  clinicd::test_clock::v1::SetTestTimeRequest request;
  request.mutable_time()->set_seconds(absl::ToUnixSeconds(time));
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status =
      clock_->SetTestTime(clinicd::testing::AuthedContext(admin_).get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void JourneyFixture::Advance(absl::Duration step) {
  clinicd::test_clock::v1::AdvanceTestTimeRequest request;
  request.mutable_step()->set_seconds(absl::ToInt64Seconds(step));
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status =
      clock_->AdvanceTestTime(clinicd::testing::AuthedContext(admin_).get(), request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

absl::Time JourneyFixture::Now() {
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status = clock_->GetTestTime(
      clinicd::testing::AuthedContext(admin_).get(), {}, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return absl::FromUnixSeconds(reply.time().seconds()) + absl::Nanoseconds(reply.time().nanos());
}

std::unique_ptr<WorkerProcess> JourneyFixture::StartWorker(const std::string& id,
                                                           const std::string& lease) {
  return std::make_unique<WorkerProcess>(
      std::vector<std::string>{"--server=" + server_.address(),
                               absl::StrCat("--smtp_url=smtp://127.0.0.1:", smtp_->port()),
                               "--smtp_starttls=off", "--smtp_from=praxis@example.org",
                               "--poll_interval=100ms", "--log_level=debug", "--worker_id=" + id,
                               "--lease=" + lease, "--delivery_timeout=3s"},
      std::vector<std::string>{"CLINICD_API_KEY=" + worker_key_}, dir_.path() + "/" + id + ".log");
}

std::vector<Mail> JourneyFixture::Received() const {
  std::vector<Mail> mails;
  const int count = reminder_worker::testing::CountRecords(mail_.path());
  for (int n = 0; n < count; ++n) {
    google::protobuf::Struct record;
    if (!ReadRecord(absl::StrCat(mail_.path(), "/", n, ".json"), &record)) continue;
    const auto& fields = record.fields();
    mails.push_back({fields.at("to").string_value(), fields.at("subject").string_value(),
                     fields.at("message_id").string_value(), fields.at("body").string_value()});
  }
  return mails;
}

int JourneyFixture::CountWithId(const std::string& message_id) const {
  int count = 0;
  for (const Mail& mail : Received()) count += mail.message_id == message_id;
  return count;
}

void JourneyFixture::CreateClinic(const std::string& display_name, const std::string& extra_flag) {
  std::vector<std::string> args = {"clinic", "create", "--name=" + display_name,
                                   "--time_zone=Europe/Berlin", "--region=DE",
                                   "--email=praxis@example.org"};
  if (!extra_flag.empty()) args.push_back(extra_flag);
  const std::string created = Must(args, admin_);
  const size_t at = created.find("export CLINICD_CLINIC=");
  ASSERT_NE(at, std::string::npos) << created;
  clinic_ = created.substr(at + 22, created.find('\n', at) - at - 22);
}

}  // namespace clinicd::clinicctl::testing
