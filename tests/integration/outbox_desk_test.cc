// The front desk's actions on the outbox: a pending message sent ahead of
// its time becomes claimable now; anything no longer pending is refused.

#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using plugins::test_time::At;
using plugins::test_time::FromProto;

class OutboxDeskTest : public CourseTest {
 protected:
  grpc::Status SendNow(const std::string& name, clinic::v1::Notification* out) {
    clinic::v1::SendNotificationNowRequest request;
    request.set_name(name);
    return notifications_->SendNotificationNow(AuthedContext(admin_key_).get(), request, out);
  }
};

TEST_F(OutboxDeskTest, APendingReminderSentNowIsDueNowOrWhenQuietHoursEnd) {
  const clinic::v1::Appointment booked = MustBook(Draft(At(monday_, 10)));
  const std::vector<clinic::v1::Notification> queued = Outbox(booked.name());
  ASSERT_FALSE(queued.empty());
  const clinic::v1::Notification& later = queued.back();
  ASSERT_GT(FromProto(later.due_time()), Now() + absl::Hours(24));

  clinic::v1::Notification sent;
  const absl::Time before = Now();
  grpc::Status status = SendNow(later.name(), &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const absl::Time due = FromProto(sent.due_time());
  // Now, or 08:00 Berlin when the test runs inside the 21:00-08:00 quiet hours.
  const int hour = absl::ToCivilHour(Now(), plugins::test_time::Berlin()).hour();
  if (hour >= 8 && hour < 21) {
    EXPECT_GE(due, before - absl::Seconds(1));
    EXPECT_LE(due, Now());
  } else {
    EXPECT_EQ(absl::ToCivilMinute(due, plugins::test_time::Berlin()).hour(), 8);
  }
  EXPECT_EQ(sent.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
  EXPECT_EQ(sent.dedupe_key(), later.dedupe_key()) << "the same message, only sooner";
  for (const clinic::v1::Notification& listed : Outbox(booked.name())) {
    if (listed.name() == later.name()) {
      EXPECT_EQ(FromProto(listed.due_time()), due);
    }
  }
}

TEST_F(OutboxDeskTest, ACancelledOrUnknownNotificationCannotBeSent) {
  const clinic::v1::Appointment booked = MustBook(Draft(At(monday_, 10)));
  clinic::v1::Appointment cancelled;
  ASSERT_TRUE(Cancel(booked.name(), &cancelled).ok());
  const std::vector<clinic::v1::Notification> queued = Outbox(booked.name());
  ASSERT_FALSE(queued.empty());
  clinic::v1::Notification out;
  grpc::Status status = SendNow(queued.front().name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "NOT_PENDING");
  EXPECT_EQ(MetadataOf(status)["state"], "NOTIFICATION_STATE_CANCELLED");

  status = SendNow(clinic_.name() + "/notifications/01j000000000000000000000zz", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  status = SendNow("notifications/x", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"name"}));
}

TEST_F(OutboxDeskTest, OnlyStaffMaySendAheadOfTime) {
  const clinic::v1::Appointment booked = MustBook(Draft(At(monday_, 10)));
  const std::string worker = server_.CreateKey("reminder_worker");
  clinic::v1::SendNotificationNowRequest request;
  request.set_name(Outbox(booked.name()).front().name());
  clinic::v1::Notification out;
  grpc::Status status =
      notifications_->SendNotificationNow(AuthedContext(worker).get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace clinicd::testing
