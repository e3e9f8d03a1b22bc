#pragma once

// A clinic's whole toolchain for journeys end to end, with the real
// binaries only: clinicd on port 0 with a test clock (moved with SetTime and
// Advance, never waited for), keys from `clinicd keys create`, an aiosmtpd
// mail sink (smtp_receiver.py), clinic-reminder-worker processes delivering
// to it, and clinicctl for everything the front desk does.

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clinicd/test_clock/v1/test_clock.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/integration/clinicd_process.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::clinicctl::testing {

// One e-mail the sink received.
struct Mail {
  std::string to;
  std::string subject;
  std::string message_id;
  std::string body;
};

// `text` with every run of white space as one space (an e-mail body may be
// wrapped differently from the protocol's text).
std::string Words(const std::string& text);

// The message `json` holds in protobuf's JSON mapping (clinicctl --json).
template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// Polls `done` every 100 ms for up to `seconds` of real time.
bool Eventually(int seconds, const std::function<bool()>& done);

class JourneyFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  // `clinicctl <args>` with `key` and, once set, the clinic.
  ProgramResult Ctl(const std::vector<std::string>& args, const std::string& key) const;
  // Runs `args`, expecting success; its stdout.
  std::string Must(const std::vector<std::string>& args, const std::string& key);
  // Stands the server's clock at `time` / moves it on by `step`.
  void SetTime(absl::Time time);
  void Advance(absl::Duration step);
  // The server's time.
  absl::Time Now();
  // A reminder worker `id` delivering to the sink with leases of `lease`.
  std::unique_ptr<reminder_worker::testing::WorkerProcess> StartWorker(const std::string& id,
                                                                       const std::string& lease);
  // Every e-mail the sink received so far, and how many carry `message_id`.
  std::vector<Mail> Received() const;
  int CountWithId(const std::string& message_id) const;
  // `clinicctl clinic create` for a Berlin clinic (no quiet hours unless
  // given); remembers its id for later commands.
  void CreateClinic(const std::string& display_name, const std::string& extra_flag = "");

  clinicd::testing::ClinicdProcess server_;
  std::unique_ptr<clinicd::test_clock::v1::TestClockService::Stub> clock_;
  std::string admin_, front_desk_, clinician_, worker_key_;
  std::string clinic_;
  reminder_worker::testing::TempDir dir_;
  reminder_worker::testing::TempDir mail_;
  std::unique_ptr<reminder_worker::testing::HelperProcess> smtp_;
};

}  // namespace clinicd::clinicctl::testing
