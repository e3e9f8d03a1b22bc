#include "clients/reminder_worker/file_channel.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::reminder_worker {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;

clinic::v1::Notification Sms(int n) {
  clinic::v1::Notification notification;
  notification.set_name(absl::StrCat("clinics/c1/notifications/s", n));
  notification.set_kind(clinic::v1::NOTIFICATION_KIND_RECALL);
  notification.set_channel(clinic::v1::NOTIFICATION_CHANNEL_SMS);
  notification.set_recipient("+4930123456");
  notification.set_body("Zeit für Ihre Auffrischung.\nAntworten Sie \"JA\".");
  notification.set_dedupe_key(absl::StrCat("recall-", n));
  notification.set_lease_id("lease");
  return notification;
}

TEST(FileChannelTest, AppendsOneJsonLinePerNotification) {
  TempDir dir;
  const std::string path = dir.path() + "/outbox.jsonl";
  FileChannel channel(path);
  for (int n = 0; n < 2; ++n) {
    const DeliveryOutcome outcome = channel.Deliver(Sms(n));
    ASSERT_EQ(outcome.result, DeliveryResult::kDelivered) << outcome.detail;
  }

  const std::string text = ReadFile(path);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const std::vector<std::string> lines = absl::StrSplit(text.substr(0, text.size() - 1), '\n');
  ASSERT_EQ(lines.size(), 2u) << text;  // The body's line break stays escaped.
  for (int n = 0; n < 2; ++n) {
    clinic::v1::Notification parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[n], &parsed).ok()) << lines[n];
    clinic::v1::Notification expected = Sms(n);
    expected.clear_lease_id();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected)) << lines[n];
  }
}

TEST(FileChannelTest, CreatesTheFileForItsOwnerOnly) {
  TempDir dir;
  const std::string path = dir.path() + "/outbox.jsonl";
  FileChannel channel(path);
  ASSERT_EQ(channel.Deliver(Sms(1)).result, DeliveryResult::kDelivered);
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(FileChannelTest, AnUnwritablePathIsRetry) {
  TempDir dir;
  FileChannel channel(dir.path() + "/missing/outbox.jsonl");
  const DeliveryOutcome outcome = channel.Deliver(Sms(1));
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry);
  EXPECT_THAT(outcome.detail, HasSubstr("cannot open"));
}

}  // namespace
}  // namespace clinicd::reminder_worker
