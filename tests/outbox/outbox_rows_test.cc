// The outbox's rows (store/notification_rows.h): a dedupe key is a message's identity (queued once,
// revived rather than copied after a cancel), cancelling reaches leased
// messages but not delivered ones, and a hold moves only earlier pending ones.

#include "services/outbox/outbox.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/migrated_store_test.h"

namespace clinicd::outbox {
namespace {

class OutboxRowsTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
  }

  OutgoingMessage Message(const std::string& message_id, absl::Time due) const {
    OutgoingMessage message;
    message.clinic_id = "c1";
    message.resource = "clinics/c1/appointments/a1";
    message.kind = clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER;
    message.channel = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
    message.recipient = "anna@example.org";
    message.subject = "Tomorrow";
    message.body = "See you tomorrow";
    message.message_id = message_id;
    message.due = due;
    return message;
  }

  absl::Status Write(const std::function<absl::Status(store::Transaction&)>& fn) {
    return db_->Write([&](store::Transaction& tx) { return fn(tx); });
  }

  // The dedupe key of message `message_id` by e-mail, as Message queues it.
  static std::string KeyOf(const std::string& message_id) {
    return store::NotificationDedupeKey("clinics/c1/appointments/a1", message_id,
                                        clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
  }

  std::string StateOf(const std::string& message_id) const {
    return store::ReadText(*db_, absl::StrCat("SELECT state FROM notifications WHERE dedupe_key = '",
                                              KeyOf(message_id), "'"));
  }

  int64_t DueOf(const std::string& message_id) const {
    return store::ReadInt(*db_, absl::StrCat("SELECT due_time FROM notifications WHERE dedupe_key = '",
                                             KeyOf(message_id), "'"));
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(OutboxRowsTest, TheSameDedupeKeyIsQueuedOnce) {
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return QueueNotification(tx, Message("k1", now_ + absl::Hours(1)), now_);
  }));
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return QueueNotification(tx, Message("k1", now_ + absl::Hours(5)), now_);
  }));
  EXPECT_EQ(CountRows("notifications"), 1);
  EXPECT_EQ(DueOf("k1"), absl::ToUnixMicros(now_ + absl::Hours(1)))
      << "a queued message keeps its first due time";
}

TEST_F(OutboxRowsTest, ACancelledMessageIsRevivedWithItsNewTime) {
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return QueueNotification(tx, Message("k1", now_ + absl::Hours(1)), now_);
  }));
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return CancelUndelivered(tx, "clinics/c1/appointments/a1", clinic::v1::NOTIFICATION_KIND_UNSPECIFIED,
                         now_);
  }));
  EXPECT_EQ(StateOf("k1"), "cancelled");
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return QueueNotification(tx, Message("k1", now_ + absl::Hours(3)), now_);
  }));
  EXPECT_EQ(CountRows("notifications"), 1);
  EXPECT_EQ(StateOf("k1"), "pending");
  EXPECT_EQ(DueOf("k1"), absl::ToUnixMicros(now_ + absl::Hours(3)));
}

TEST_F(OutboxRowsTest, CancellingTakesPendingAndLeasedButLeavesDeliveredAlone) {
  ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
    for (const char* key : {"pending", "leased", "delivered"}) {
      if (absl::Status s = QueueNotification(tx, Message(key, now_), now_); !s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  for (const char* state : {"leased", "delivered"}) {
    ASSERT_OK(store::ExecWrite(*db_, absl::StrCat("UPDATE notifications SET state = '", state,
                                                  "' WHERE dedupe_key = '", KeyOf(state), "'")));
  }
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return CancelUndelivered(tx, "clinics/c1/appointments/a1",
                         clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER, now_);
  }));
  EXPECT_EQ(StateOf("pending"), "cancelled");
  EXPECT_EQ(StateOf("leased"), "cancelled") << "a worker's later RETRY must not bring it back";
  EXPECT_EQ(StateOf("delivered"), "delivered");
}

TEST_F(OutboxRowsTest, CancellingOneKindKeepsTheOthers) {
  ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
    OutgoingMessage aftercare = Message("aftercare", now_);
    aftercare.kind = clinic::v1::NOTIFICATION_KIND_AFTERCARE;
    if (absl::Status s = QueueNotification(tx, aftercare, now_); !s.ok()) return s;
    if (absl::Status s = QueueNotification(tx, Message("reminder", now_), now_); !s.ok()) return s;
    return CancelUndelivered(tx, "clinics/c1/appointments/a1",
                         clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER, now_);
  }));
  EXPECT_EQ(StateOf("reminder"), "cancelled");
  EXPECT_EQ(StateOf("aftercare"), "pending");
}

TEST_F(OutboxRowsTest, ReviveOnlyBringsBackMessagesStillAhead) {
  ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
    if (absl::Status s = QueueNotification(tx, Message("past", now_ - absl::Hours(1)), now_); !s.ok()) {
      return s;
    }
    if (absl::Status s = QueueNotification(tx, Message("future", now_ + absl::Hours(1)), now_); !s.ok()) {
      return s;
    }
    return CancelUndelivered(tx, "clinics/c1/appointments/a1",
                         clinic::v1::NOTIFICATION_KIND_UNSPECIFIED, now_);
  }));
  ASSERT_OK(Write([&](store::Transaction& tx) {
    return ReviveCancelled(tx, "clinics/c1/appointments/a1",
                           clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER, now_);
  }));
  EXPECT_EQ(StateOf("past"), "cancelled");
  EXPECT_EQ(StateOf("future"), "pending");
}

TEST_F(OutboxRowsTest, HoldMovesOnlyPendingMessagesDueBeforeIt) {
  const absl::Time until = now_ + absl::Hours(24 * 30);
  ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
    if (absl::Status s = QueueNotification(tx, Message("soon", now_ + absl::Hours(1)), now_); !s.ok()) {
      return s;
    }
    if (absl::Status s = QueueNotification(tx, Message("later", until + absl::Hours(1)), now_); !s.ok()) {
      return s;
    }
    return HoldUntil(tx, "clinics/c1/appointments/a1", until, now_);
  }));
  EXPECT_EQ(DueOf("soon"), absl::ToUnixMicros(until));
  EXPECT_EQ(DueOf("later"), absl::ToUnixMicros(until + absl::Hours(1)));
}

TEST_F(OutboxRowsTest, MovingAMessageMovesItsPendingRowsOnEveryChannelOnly) {
  const absl::Time later = now_ + absl::Hours(48);
  ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
    OutgoingMessage sms = Message("m1", now_ + absl::Hours(1));
    sms.channel = clinic::v1::NOTIFICATION_CHANNEL_SMS;
    for (const OutgoingMessage& message :
         {Message("m1", now_ + absl::Hours(1)), sms, Message("m10", now_ + absl::Hours(1))}) {
      if (absl::Status s = QueueNotification(tx, message, now_); !s.ok()) return s;
    }
    return store::MovePendingNotification(tx, "clinics/c1/appointments/a1", "m1", later, now_);
  }));
  EXPECT_EQ(DueOf("m1"), absl::ToUnixMicros(later));
  EXPECT_EQ(store::ReadInt(*db_, "SELECT due_time FROM notifications WHERE dedupe_key = "
                                 "'clinics/c1/appointments/a1/m1/sms'"),
            absl::ToUnixMicros(later));
  EXPECT_EQ(DueOf("m10"), absl::ToUnixMicros(now_ + absl::Hours(1)))
      << "a message whose id merely starts the same stays put";
}

TEST(DedupeKeyTest, IsResourceMessageAndLowerCaseChannel) {
  EXPECT_EQ(store::NotificationDedupeKey("clinics/c/recalls/r", "due-1",
                                         clinic::v1::NOTIFICATION_CHANNEL_EMAIL),
            "clinics/c/recalls/r/due-1/email");
  EXPECT_EQ(store::NotificationDedupeKey("r", "m", clinic::v1::NOTIFICATION_CHANNEL_SMS), "r/m/sms");
  EXPECT_EQ(store::NotificationDedupeKey("r", "m", clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK),
            "r/m/webhook");
}

}  // namespace
}  // namespace clinicd::outbox
