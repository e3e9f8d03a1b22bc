// The webhook channel against a real HTTP receiver on loopback
// (webhook_receiver.py), which verifies the signature with Python's hmac.

#include "clients/reminder_worker/webhook_channel.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::reminder_worker {
namespace {

using testing::CountRecords;
using ::testing::HasSubstr;
using testing::HelperProcess;
using ::testing::Not;
using testing::ReadRecord;
using ::testing::StartsWith;
using testing::TempDir;

constexpr char kSecret[] = "whsec-test-0123456789abcdef";

clinic::v1::Notification Reminder() {
  clinic::v1::Notification notification;
  notification.set_name("clinics/c1/notifications/n2");
  notification.set_kind(clinic::v1::NOTIFICATION_KIND_AFTERCARE);
  notification.set_channel(clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK);
  notification.set_recipient("https://app.example.org/hooks/clinic");
  notification.set_subject("Nachsorge nach Ihrer Behandlung");
  notification.set_body("Bitte 24 h keine Sauna.\nGrüße");
  notification.set_dedupe_key("clinics/c1/appointments/a7:aftercare:day1");
  notification.set_attempts(2);
  notification.mutable_due_time()->set_seconds(1767225600);
  notification.set_lease_id("lease-secret-id");
  notification.mutable_lease_expire_time()->set_seconds(1767225660);
  notification.set_patient("clinics/c1/patients/p9");
  notification.set_state(clinic::v1::NOTIFICATION_STATE_LEASED);
  notification.set_delivery_detail("smtp 451: try later");
  return notification;
}

class WebhookChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    receiver_ = HelperProcess::Start("webhook_receiver.py", {dir_.path()},
                                     {absl::StrCat("WEBHOOK_SECRET=", kSecret)}, &error);
    ASSERT_NE(receiver_, nullptr) << error;
  }

  WebhookOptions Options(const std::string& path) const {
    WebhookOptions options;
    options.url = absl::StrCat("http://127.0.0.1:", receiver_->port(), path);
    options.secret = kSecret;
    options.timeout = absl::Seconds(10);
    return options;
  }

  google::protobuf::Struct Record(int n) const {
    google::protobuf::Struct record;
    EXPECT_TRUE(ReadRecord(absl::StrCat(dir_.path(), "/", n, ".json"), &record));
    return record;
  }

  TempDir dir_;
  std::unique_ptr<HelperProcess> receiver_;
};

std::string Header(const google::protobuf::Struct& record, const std::string& name) {
  const auto& headers = record.fields().at("headers").struct_value().fields();
  const auto header = headers.find(name);
  return header == headers.end() ? "<missing>" : header->second.string_value();
}

TEST_F(WebhookChannelTest, PostsSignedJsonWithTheIdempotencyKey) {
  WebhookChannel channel(Options("/hook"));
  const clinic::v1::Notification notification = Reminder();
  const DeliveryOutcome outcome = channel.Deliver(notification);
  ASSERT_EQ(outcome.result, DeliveryResult::kDelivered) << outcome.detail;
  EXPECT_EQ(outcome.detail, "webhook HTTP 200");

  const google::protobuf::Struct record = Record(0);
  EXPECT_EQ(record.fields().at("path").string_value(), "/hook");
  EXPECT_TRUE(record.fields().at("signature_valid").bool_value()) << record.DebugString();
  EXPECT_TRUE(record.fields().at("json_ok").bool_value());
  EXPECT_EQ(Header(record, "idempotency-key"), notification.dedupe_key());
  EXPECT_EQ(Header(record, "content-type"), "application/json");
  // t= is the sending time in Unix seconds.
  const std::string signature = Header(record, "x-clinicd-signature");
  ASSERT_THAT(signature, StartsWith("t="));
  int64_t sent = 0;
  ASSERT_TRUE(absl::SimpleAtoi(signature.substr(2, signature.find(',') - 2), &sent)) << signature;
  EXPECT_LE(std::abs(absl::ToUnixSeconds(absl::Now()) - sent), 60) << signature;

  // The body is the notification in proto3 JSON, lease and delivery-state fields left out.
  const std::string body = record.fields().at("body").string_value();
  EXPECT_THAT(body, HasSubstr(R"("dedupeKey":"clinics/c1/appointments/a7:aftercare:day1")"));
  EXPECT_THAT(body, HasSubstr(R"("kind":"NOTIFICATION_KIND_AFTERCARE")"));
  EXPECT_THAT(body, Not(HasSubstr("lease")));
  EXPECT_THAT(body, Not(HasSubstr("LEASED")));
  EXPECT_THAT(body, Not(HasSubstr("deliveryDetail")));
  clinic::v1::Notification parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) << body;
  clinic::v1::Notification expected = notification;
  expected.clear_lease_id();
  expected.clear_lease_expire_time();
  expected.clear_state();
  expected.clear_delivery_detail();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected))
      << parsed.DebugString();
}

TEST_F(WebhookChannelTest, ASignatureWithAnotherSecretDoesNotVerify) {
  WebhookOptions options = Options("/hook");
  options.secret = "whsec-some-other-secret-000";
  WebhookChannel channel(options);
  ASSERT_EQ(channel.Deliver(Reminder()).result, DeliveryResult::kDelivered);
  EXPECT_FALSE(Record(0).fields().at("signature_valid").bool_value());
}

TEST_F(WebhookChannelTest, ServerErrorsAndThrottlingAreRetry) {
  for (const char* status : {"503", "500", "429", "408"}) {
    WebhookChannel channel(Options(absl::StrCat("/status/", status)));
    const DeliveryOutcome outcome = channel.Deliver(Reminder());
    EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << status << ": " << outcome.detail;
    EXPECT_EQ(outcome.detail, absl::StrCat("webhook HTTP ", status));
  }
}

TEST_F(WebhookChannelTest, ClientErrorsAndRedirectsAreFailed) {
  for (const char* status : {"400", "404", "410", "301"}) {
    WebhookChannel channel(Options(absl::StrCat("/status/", status)));
    const DeliveryOutcome outcome = channel.Deliver(Reminder());
    EXPECT_EQ(outcome.result, DeliveryResult::kFailed) << status << ": " << outcome.detail;
    EXPECT_EQ(outcome.detail, absl::StrCat("webhook HTTP ", status));
  }
}

TEST_F(WebhookChannelTest, TimeoutIsRetry) {
  WebhookOptions options = Options("/sleep/5");
  options.timeout = absl::Seconds(1);
  WebhookChannel channel(options);
  const absl::Time start = absl::Now();
  const DeliveryOutcome outcome = channel.Deliver(Reminder());
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
}

TEST_F(WebhookChannelTest, KeepsTheConnectionForSeveralPosts) {
  WebhookChannel channel(Options("/hook"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(channel.Deliver(Reminder()).result, DeliveryResult::kDelivered);
  }
  EXPECT_TRUE(Record(2).fields().at("signature_valid").bool_value());
  EXPECT_EQ(CountRecords(dir_.path()), 3);
}

TEST(WebhookChannelConnectionTest, ConnectionRefusedIsRetry) {
  WebhookOptions options;
  options.url = absl::StrCat("http://127.0.0.1:", testing::ClosedPort(), "/hook");
  options.secret = kSecret;
  options.timeout = absl::Seconds(5);
  WebhookChannel channel(options);
  const DeliveryOutcome outcome = channel.Deliver(Reminder());
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
}

TEST(WebhookChannelConnectionTest, ADedupeKeyThatCannotBeAHeaderIsFailed) {
  WebhookOptions options;
  options.url = absl::StrCat("http://127.0.0.1:", testing::ClosedPort(), "/hook");
  options.secret = kSecret;
  WebhookChannel channel(options);
  clinic::v1::Notification notification = Reminder();
  notification.set_dedupe_key("key\r\nX-Injected: 1");
  const DeliveryOutcome outcome = channel.Deliver(notification);
  EXPECT_EQ(outcome.result, DeliveryResult::kFailed) << outcome.detail;
}

}  // namespace
}  // namespace clinicd::reminder_worker
