// The SMTP channel against a real SMTP server on loopback (aiosmtpd, see
// smtp_receiver.py), which parses what arrives with Python's e-mail package.

#include "clients/reminder_worker/smtp_channel.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::reminder_worker {
namespace {

using testing::CountRecords;
using ::testing::HasSubstr;
using testing::HelperProcess;
using ::testing::Not;
using testing::ReadFile;
using testing::ReadRecord;
using testing::TempDir;

// The fields of a record, by name.
std::string Field(const google::protobuf::Struct& record, const std::string& name) {
  const auto field = record.fields().find(name);
  return field == record.fields().end() ? "<missing>" : field->second.string_value();
}

clinic::v1::Notification Reminder() {
  clinic::v1::Notification notification;
  notification.set_name("clinics/c1/notifications/n1");
  notification.set_kind(clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER);
  notification.set_channel(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
  notification.set_recipient("anna@example.org");
  notification.set_subject("Ihr Termin am Dienstag – Hautzentrum Mitte, bitte 2 h vorher nüchtern");
  notification.set_body(
      "Guten Tag Frau Müller,\n\nIhr Termin: Dienstag, 10:00.\n.\n.Punkt am Zeilenanfang\n"
      "Grüße 😀\n");
  notification.set_dedupe_key("clinics/c1/appointments/a1:reminder:24h");
  notification.set_lease_id("lease-1");
  return notification;
}

// Reminder() for `recipient`.
clinic::v1::Notification To(const std::string& recipient) {
  clinic::v1::Notification notification = Reminder();
  notification.set_recipient(recipient);
  return notification;
}

// One delivery of `notification` by a channel with `options`.
DeliveryOutcome Deliver(const SmtpOptions& options,
                        const clinic::v1::Notification& notification = Reminder()) {
  SmtpChannel channel(options);
  return channel.Deliver(notification);
}

class SmtpChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    receiver_ = HelperProcess::Start("smtp_receiver.py", {dir_.path()}, {}, &error);
    ASSERT_NE(receiver_, nullptr) << error;
  }

  SmtpOptions Options() const {
    SmtpOptions options;
    options.url = absl::StrCat("smtp://127.0.0.1:", receiver_->port(), "/worker.test");
    options.from = "praxis@example.org";
    options.starttls = StartTls::kOff;
    options.timeout = absl::Seconds(10);
    return options;
  }

  std::string Record(int n, const std::string& suffix) const {
    return absl::StrCat(dir_.path(), "/", n, suffix);
  }

  TempDir dir_;
  std::unique_ptr<HelperProcess> receiver_;
};

TEST_F(SmtpChannelTest, DeliversAMessagePythonReadsBackIntact) {
  SmtpChannel channel(Options());
  const clinic::v1::Notification notification = Reminder();
  const DeliveryOutcome outcome = channel.Deliver(notification);
  ASSERT_EQ(outcome.result, DeliveryResult::kDelivered) << outcome.detail;
  EXPECT_EQ(outcome.detail, "smtp 250");

  google::protobuf::Struct record;
  ASSERT_TRUE(ReadRecord(Record(0, ".json"), &record));
  EXPECT_EQ(Field(record, "mail_from"), "praxis@example.org");
  ASSERT_EQ(record.fields().at("rcpt_tos").list_value().values_size(), 1);
  EXPECT_EQ(record.fields().at("rcpt_tos").list_value().values(0).string_value(),
            "anna@example.org");
  EXPECT_EQ(Field(record, "from"), "praxis@example.org");
  EXPECT_EQ(Field(record, "to"), "anna@example.org");
  EXPECT_EQ(Field(record, "subject"), notification.subject());
  EXPECT_EQ(Field(record, "message_id"), "<clinics/c1/appointments/a1=3Areminder=3A24h@clinicd>");
  EXPECT_TRUE(record.fields().at("date_parses").bool_value());
  EXPECT_EQ(Field(record, "mime_version"), "1.0");
  EXPECT_EQ(Field(record, "content_type"), "text/plain");
  EXPECT_EQ(Field(record, "charset"), "utf-8");
  EXPECT_EQ(Field(record, "transfer_encoding"), "quoted-printable");
  // Lines that start with '.' survive SMTP's dot-stuffing.
  EXPECT_EQ(Field(record, "body"), notification.body());
  EXPECT_EQ(record.fields().at("defects").list_value().values_size(), 0) << record.DebugString();
  EXPECT_FALSE(record.fields().at("authenticated").bool_value());

  // On the wire: the Subject is an RFC 2047 encoded-word, the rest ASCII.
  const std::string raw = ReadFile(Record(0, ".eml"));
  EXPECT_THAT(raw, HasSubstr("\r\nSubject: =?UTF-8?B?"));
  EXPECT_THAT(raw, HasSubstr("\r\nAuto-Submitted: auto-generated\r\n"));
  EXPECT_THAT(raw, Not(HasSubstr("lease-1")));
}

TEST_F(SmtpChannelTest, ReusesTheChannelForSeveralMessages) {
  SmtpChannel channel(Options());
  for (int i = 0; i < 3; ++i) {
    clinic::v1::Notification notification = Reminder();
    notification.set_dedupe_key(absl::StrCat("key-", i));
    const DeliveryOutcome outcome = channel.Deliver(notification);
    ASSERT_EQ(outcome.result, DeliveryResult::kDelivered) << outcome.detail;
  }
  google::protobuf::Struct record;
  ASSERT_TRUE(ReadRecord(Record(2, ".json"), &record));
  EXPECT_EQ(Field(record, "message_id"), "<key-2@clinicd>");
  EXPECT_EQ(CountRecords(dir_.path()), 3);
}

TEST_F(SmtpChannelTest, TemporaryRefusalIsRetry) {
  const DeliveryOutcome outcome = Deliver(Options(), To("tempfail@example.org"));
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_THAT(outcome.detail, HasSubstr("451"));
  EXPECT_THAT(outcome.detail, Not(HasSubstr("tempfail")));
  EXPECT_EQ(CountRecords(dir_.path()), 0);
}

TEST_F(SmtpChannelTest, PermanentRefusalIsFailed) {
  const DeliveryOutcome outcome = Deliver(Options(), To("reject@example.org"));
  EXPECT_EQ(outcome.result, DeliveryResult::kFailed) << outcome.detail;
  EXPECT_THAT(outcome.detail, HasSubstr("550"));
  EXPECT_THAT(outcome.detail, Not(HasSubstr("reject@")));
}

TEST_F(SmtpChannelTest, RefusedSenderIsRetryNotFailed) {
  // Every message would be refused alike: the worker's setting, not the message.
  SmtpOptions options = Options();
  options.from = "refused@example.org";
  const DeliveryOutcome outcome = Deliver(options);
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_THAT(outcome.detail, HasSubstr("553"));
}

TEST_F(SmtpChannelTest, LogsInWithTheRightPassword) {
  SmtpOptions options = Options();
  options.user = "worker";
  options.password = "relay-password";
  const DeliveryOutcome outcome = Deliver(options);
  ASSERT_EQ(outcome.result, DeliveryResult::kDelivered) << outcome.detail;
  google::protobuf::Struct record;
  ASSERT_TRUE(ReadRecord(Record(0, ".json"), &record));
  EXPECT_TRUE(record.fields().at("authenticated").bool_value());
}

TEST_F(SmtpChannelTest, RefusedLoginIsRetryAndNeverShowsThePassword) {
  SmtpOptions options = Options();
  options.user = "worker";
  options.password = "wrong-password";
  const DeliveryOutcome outcome = Deliver(options);
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_THAT(outcome.detail, HasSubstr("login refused"));
  EXPECT_THAT(outcome.detail, Not(HasSubstr("wrong-password")));
  EXPECT_EQ(CountRecords(dir_.path()), 0);
}

TEST_F(SmtpChannelTest, RequiredStartTlsNeverFallsBackToPlaintext) {
  SmtpOptions options = Options();
  options.starttls = StartTls::kRequired;  // The test relay offers no STARTTLS.
  const DeliveryOutcome outcome = Deliver(options);
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_EQ(CountRecords(dir_.path()), 0);
}

TEST_F(SmtpChannelTest, AnUnusableRecipientFailsWithoutBeingNamed) {
  const DeliveryOutcome outcome = Deliver(Options(), To("Anna Müller <anna@example.org>"));
  EXPECT_EQ(outcome.result, DeliveryResult::kFailed) << outcome.detail;
  EXPECT_THAT(outcome.detail, Not(HasSubstr("anna")));
  EXPECT_EQ(CountRecords(dir_.path()), 0);
}

TEST(SmtpChannelConnectionTest, ConnectionRefusedIsRetry) {
  SmtpOptions options;
  options.url = absl::StrCat("smtp://127.0.0.1:", testing::ClosedPort());
  options.from = "praxis@example.org";
  options.starttls = StartTls::kOff;
  options.timeout = absl::Seconds(5);
  const DeliveryOutcome outcome = Deliver(options);
  EXPECT_EQ(outcome.result, DeliveryResult::kRetry) << outcome.detail;
  EXPECT_THAT(outcome.detail, HasSubstr("smtp"));
}

}  // namespace
}  // namespace clinicd::reminder_worker
