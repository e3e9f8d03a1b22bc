#include "clients/reminder_worker/worker_flags.h"

#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "clients/reminder_worker/channel_router.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::reminder_worker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class WorkerFlagsTest : public ::testing::Test {
 protected:
  // The configuration with `env_` as the environment.
  absl::StatusOr<WorkerConfig> Config() {
    return ConfigFromFlags([this](const char* name) -> const char* {
      const auto found = env_.find(name);
      return found == env_.end() ? nullptr : found->second.c_str();
    });
  }

  // The refusal message, or "accepted".
  std::string Refusal() {
    const absl::StatusOr<WorkerConfig> config = Config();
    return config.ok() ? "accepted" : std::string(config.status().message());
  }

  absl::FlagSaver saver_;
  std::map<std::string, std::string> env_ = {{"CLINICD_API_KEY", "clinicd_secret"}};
};

TEST_F(WorkerFlagsTest, EnvironmentFillsWhatFlagsLeaveEmpty) {
  absl::SetFlag(&FLAGS_file_channel, "sms");
  absl::SetFlag(&FLAGS_outbox_file, "/tmp/outbox.jsonl");
  absl::StatusOr<WorkerConfig> config = Config();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "localhost:50051");
  EXPECT_EQ(config->api_key, "clinicd_secret");
  EXPECT_THAT(config->worker_id, HasSubstr(":"));

  env_["CLINICD_ADDRESS"] = "clinicd.internal:443";
  EXPECT_EQ(Config()->server, "clinicd.internal:443");
  absl::SetFlag(&FLAGS_server, "10.0.0.5:50051");
  absl::SetFlag(&FLAGS_api_key, "from-flag");
  EXPECT_EQ(Config()->server, "10.0.0.5:50051");
  EXPECT_EQ(Config()->api_key, "from-flag");
}

TEST_F(WorkerFlagsTest, RefusalsNameTheFlag) {
  env_.clear();
  EXPECT_THAT(Refusal(), HasSubstr("--api_key"));
  env_["CLINICD_API_KEY"] = "k";
  EXPECT_THAT(Refusal(), HasSubstr("nothing to deliver"));

  absl::SetFlag(&FLAGS_file_channel, "sms,fax");
  EXPECT_THAT(Refusal(), HasSubstr("--file_channel: unknown channel \"fax\""));
  absl::SetFlag(&FLAGS_file_channel, "email");
  EXPECT_THAT(Refusal(), HasSubstr("--file_channel needs --outbox_file"));
  absl::SetFlag(&FLAGS_outbox_file, "/tmp/outbox.jsonl");
  EXPECT_EQ(Refusal(), "accepted");

  absl::SetFlag(&FLAGS_batch, 101);
  EXPECT_THAT(Refusal(), HasSubstr("--batch must be between 1 and 100, got 101"));
  absl::SetFlag(&FLAGS_batch, 10);
  absl::SetFlag(&FLAGS_lease, absl::Seconds(30));
  EXPECT_THAT(Refusal(), HasSubstr("--lease (30s) must be longer than --delivery_timeout (30s)"));
  absl::SetFlag(&FLAGS_lease, absl::Hours(2));
  EXPECT_THAT(Refusal(), HasSubstr("--lease must be at most 1h"));
  absl::SetFlag(&FLAGS_lease, absl::Seconds(60));
  absl::SetFlag(&FLAGS_clinic, "clinics/c1/patients/p1");
  EXPECT_THAT(Refusal(), HasSubstr("--clinic must be"));
  absl::SetFlag(&FLAGS_clinic, "");
  absl::SetFlag(&FLAGS_smtp_url, "smtp://relay.example.org:587");
  EXPECT_THAT(Refusal(), HasSubstr("--smtp_url and --file_channel=email"));
  absl::SetFlag(&FLAGS_file_channel, "sms");
  EXPECT_THAT(Refusal(), HasSubstr("--smtp_from"));
  absl::SetFlag(&FLAGS_smtp_from, "praxis@example.org");
  absl::SetFlag(&FLAGS_smtp_user, "worker");
  EXPECT_THAT(Refusal(), HasSubstr("CLINICD_SMTP_PASSWORD"));
  env_["CLINICD_SMTP_PASSWORD"] = "pw";
  absl::SetFlag(&FLAGS_smtp_starttls, "sometimes");
  EXPECT_THAT(Refusal(), HasSubstr("--smtp_starttls"));
  absl::SetFlag(&FLAGS_smtp_starttls, "required");
  EXPECT_EQ(Refusal(), "accepted");
  absl::SetFlag(&FLAGS_webhook_url, "ftp://example.org");
  EXPECT_THAT(Refusal(), HasSubstr("--webhook_url must be"));
  absl::SetFlag(&FLAGS_webhook_url, "https://app.example.org/hook");
  EXPECT_THAT(Refusal(), HasSubstr("signing secret"));
}

TEST_F(WorkerFlagsTest, TheClinicMayBeAnIdOrAName) {
  absl::SetFlag(&FLAGS_file_channel, "email");
  absl::SetFlag(&FLAGS_outbox_file, "/tmp/outbox.jsonl");
  absl::SetFlag(&FLAGS_clinic, "c42");
  EXPECT_EQ(Config()->parent, "clinics/c42");
  absl::SetFlag(&FLAGS_clinic, "clinics/c42");
  EXPECT_EQ(Config()->parent, "clinics/c42");
}

TEST_F(WorkerFlagsTest, WebhookSecretComesFromTheFileTrimmed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/secret";
  FILE* file = fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  fputs("whsec-from-file-0123456789\n", file);
  fclose(file);
  env_["CLINICD_WEBHOOK_SECRET"] = "whsec-from-environment-0123";
  absl::SetFlag(&FLAGS_webhook_url, "https://app.example.org/hook");
  EXPECT_EQ(Config()->webhook->secret, "whsec-from-environment-0123");
  absl::SetFlag(&FLAGS_webhook_secret_file, path);
  EXPECT_EQ(Config()->webhook->secret, "whsec-from-file-0123456789");
  absl::SetFlag(&FLAGS_webhook_secret_file, dir.path() + "/missing");
  EXPECT_THAT(Refusal(), HasSubstr("--webhook_secret_file: cannot read"));
}

TEST_F(WorkerFlagsTest, SmsIsClaimedOnlyWhenRoutedToTheFile) {
  env_["CLINICD_WEBHOOK_SECRET"] = "whsec-from-environment-0123";
  absl::SetFlag(&FLAGS_smtp_url, "smtps://relay.example.org");
  absl::SetFlag(&FLAGS_smtp_from, "praxis@example.org");
  absl::SetFlag(&FLAGS_webhook_url, "https://app.example.org/hook");
  absl::StatusOr<WorkerConfig> config = Config();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(BuildChannels(*config).channels(),
              ElementsAre(clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                          clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK));

  absl::SetFlag(&FLAGS_file_channel, "sms");
  absl::SetFlag(&FLAGS_outbox_file, "/tmp/outbox.jsonl");
  config = Config();
  ASSERT_TRUE(config.ok()) << config.status();
  const ChannelRouter router = BuildChannels(*config);
  EXPECT_THAT(router.channels(), ElementsAre(clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                                             clinic::v1::NOTIFICATION_CHANNEL_SMS,
                                             clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK));
  EXPECT_STREQ(router.For(clinic::v1::NOTIFICATION_CHANNEL_EMAIL)->kind(), "smtp");
  EXPECT_STREQ(router.For(clinic::v1::NOTIFICATION_CHANNEL_SMS)->kind(), "file");
  EXPECT_STREQ(router.For(clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK)->kind(), "webhook");
}

// CheckCommandLine on a command line written as a list.
absl::Status Check(std::vector<std::string> args) {
  args.insert(args.begin(), "clinic-reminder-worker");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return CheckCommandLine(static_cast<int>(argv.size()), argv.data());
}

TEST(CheckCommandLineTest, NamesUnknownFlagsAndBadValues) {
  EXPECT_TRUE(Check({"--batch=5", "--lease", "2m", "--notls", "--tls", "--server=h:1"}).ok());
  EXPECT_EQ(Check({"--bogus=1"}).message(), "unknown flag --bogus");
  EXPECT_EQ(Check({"--nobatch"}).message(), "unknown flag --nobatch");
  EXPECT_EQ(Check({"--batch=ten"}).message(), "--batch must be a whole number, got \"ten\"");
  EXPECT_EQ(Check({"--lease=soon"}).message(),
            "--lease must be a duration such as 90s, 2m or 1h30m, got \"soon\"");
  EXPECT_EQ(Check({"--tls=maybe"}).message(), "--tls must be true or false, got \"maybe\"");
  EXPECT_EQ(Check({"--poll_interval"}).message(), "--poll_interval needs a value");
  // Nothing was set by checking.
  EXPECT_EQ(absl::GetFlag(FLAGS_batch), 10);
}

}  // namespace
}  // namespace clinicd::reminder_worker
