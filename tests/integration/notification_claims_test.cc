// Reminder workers lease the outbox through ClaimNotifications and report
// through AckNotification, against a real server: only due notifications
// are leased, each under a lease id its acknowledgement must carry; an
// unacknowledged lease expires and the notification is redelivered under a
// new one; RETRY backs off, RELEASED returns it at once, FAILED and
// DELIVERED are final; concurrent workers never share a claim; and keys
// never claim another clinic's messages.
//
// The fixture's clinic has its quiet hours removed here, so the preparation
// messages of an appointment two days ahead that are already past (a week
// and three days before) are due now.

#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::AckNotificationRequest;
using clinic::v1::Appointment;
using clinic::v1::ClaimNotificationsRequest;
using clinic::v1::ClaimNotificationsResponse;
using clinic::v1::DeliveryResult;
using clinic::v1::Notification;
using clinic::v1::NotificationChannel;
using plugins::test_time::At;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InUtc;

constexpr NotificationChannel kEmail = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
constexpr NotificationChannel kSms = clinic::v1::NOTIFICATION_CHANNEL_SMS;

ClaimNotificationsRequest ClaimRequest(const std::string& parent, int max, absl::Duration lease,
                                       const std::vector<NotificationChannel>& channels = {}) {
  ClaimNotificationsRequest request;
  request.set_parent(parent);
  request.set_max_notifications(max);
  *request.mutable_lease_duration() =
      google::protobuf::util::TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(lease));
  for (NotificationChannel channel : channels) request.add_channels(channel);
  request.set_worker("test-worker");
  return request;
}

std::vector<std::string> Names(const ClaimNotificationsResponse& response) {
  std::vector<std::string> names;
  for (const Notification& n : response.notifications()) names.push_back(n.name());
  return names;
}

std::set<std::string> NameSet(const std::vector<Notification>& all) {
  std::set<std::string> names;
  for (const Notification& n : all) names.insert(n.name());
  return names;
}

std::string ClinicId(const clinic::v1::Clinic& clinic) {
  return clinic.name().substr(clinic.name().find('/') + 1);
}

class NotificationClaimsTest : public CourseTest {
 protected:
  void SetUp() override {
    CourseTest::SetUp();
    if (HasFatalFailure()) return;
    worker_key_ = server_.CreateKey("reminder_worker");
    ASSERT_FALSE(worker_key_.empty());
    // Without quiet hours past-due messages are due now, whatever the time of day.
    clinic::v1::UpdateClinicRequest update;
    *update.mutable_clinic() = clinic_;
    update.mutable_clinic()->clear_etag();
    update.mutable_clinic()->clear_policy();
    update.mutable_update_mask()->add_paths("policy");
    grpc::Status status = practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &clinic_);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_FALSE(clinic_.policy().has_quiet_hours_start());
    always_ = MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Immer");
    soon_ = absl::ToCivilDay(Now(), Berlin()) + 2;
  }

  // Slot `slot` two days from now (90 minutes apart, room turnaround
  // included), with the always-working practitioner.
  Appointment BookSoon(const std::string& patient, int slot) {
    Appointment draft = Draft(At(soon_, 3) + absl::Minutes(90) * slot, "", patient);
    draft.set_practitioner(always_.name());
    return MustBook(draft);
  }

  // Books `count` new patients (e-mail and SMS) two days ahead: four
  // notifications each are due now.
  void BookDuePatients(int count) {
    for (int i = 0; i < count; ++i) {
      const clinic::v1::Patient patient =
          MakeReachablePatient("Patient" + std::to_string(i), "Due");
      BookSoon(patient.name(), i);
    }
  }

  // The clinic's pending notifications that are due now.
  std::vector<Notification> DueNow() {
    const absl::Time now = Now();
    std::vector<Notification> due;
    for (const Notification& n : Outbox("", {clinic::v1::NOTIFICATION_STATE_PENDING})) {
      if (FromProto(n.due_time()) <= now) due.push_back(n);
    }
    return due;
  }

  Notification Listed(const std::string& name) {
    for (const Notification& n : Outbox()) {
      if (n.name() == name) return n;
    }
    ADD_FAILURE() << name << " not listed";
    return Notification();
  }

  grpc::Status Claim(const std::string& key, const ClaimNotificationsRequest& request,
                     ClaimNotificationsResponse* response) {
    return notifications_->ClaimNotifications(AuthedContext(key).get(), request, response);
  }

  // Claims from the fixture's clinic with the worker key; fails the test when refused.
  ClaimNotificationsResponse MustClaim(int max, absl::Duration lease,
                                       const std::vector<NotificationChannel>& channels = {}) {
    ClaimNotificationsResponse response;
    grpc::Status status =
        Claim(worker_key_, ClaimRequest(clinic_.name(), max, lease, channels), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Ack(const std::string& name, const std::string& lease_id, DeliveryResult result,
                   const std::string& detail = "", const std::string& key = "") {
    AckNotificationRequest request;
    request.set_name(name);
    request.set_lease_id(lease_id);
    request.set_result(result);
    request.set_detail(detail);
    google::protobuf::Empty empty;
    return notifications_->AckNotification(AuthedContext(key.empty() ? worker_key_ : key).get(),
                                           request, &empty);
  }

  // Claims (lease `lease`) until every one of `names` came back or `timeout`
  // passed; returns what was claimed, by name.
  std::map<std::string, Notification> ReclaimUntil(const std::set<std::string>& names,
                                                   absl::Duration timeout) {
    std::map<std::string, Notification> got;
    // The server's test clock moves a second at a time until the leases run out.
    for (absl::Duration waited; got.size() < names.size() && waited < timeout;
         waited += absl::Seconds(1)) {
      const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(60));
      for (const Notification& n : claimed.notifications()) got[n.name()] = n;
      if (got.size() < names.size()) Advance(absl::Seconds(1));
    }
    return got;
  }

  std::string worker_key_;
  clinic::v1::Practitioner always_;
  absl::CivilDay soon_;
};

TEST_F(NotificationClaimsTest, ClaimLeasesOnlyDueNotifications) {
  const Appointment booked = BookSoon(patient_.name(), 0);
  const std::vector<Notification> due = DueNow();
  ASSERT_EQ(due.size(), 4u) << "a week and three days before, on e-mail and SMS";
  std::map<std::string, Notification> listed;
  for (const Notification& n : due) listed[n.name()] = n;

  const absl::Time before = Now();
  const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(30));
  const absl::Time after = Now();
  ASSERT_EQ(claimed.notifications_size(), 4) << claimed.DebugString();
  std::set<std::string> lease_ids;
  for (const Notification& n : claimed.notifications()) {
    SCOPED_TRACE(n.name());
    ASSERT_EQ(listed.count(n.name()), 1u) << "not one of the due notifications";
    lease_ids.insert(n.lease_id());
    EXPECT_FALSE(n.lease_id().empty());
    const absl::Time expires = FromProto(n.lease_expire_time());
    EXPECT_GE(expires, before + absl::Seconds(29)) << InUtc(expires);
    EXPECT_LE(expires, after + absl::Seconds(31)) << InUtc(expires);
    EXPECT_EQ(n.attempts(), 1);
    EXPECT_EQ(n.recipient(), n.channel() == kEmail ? patient_.email() : patient_.phone_number());
    EXPECT_EQ(n.dedupe_key(), listed[n.name()].dedupe_key());
    EXPECT_EQ(n.kind(), clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER);
    EXPECT_EQ(n.resource(), booked.name());
    EXPECT_EQ(n.patient(), patient_.name());
    EXPECT_EQ(n.subject(), listed[n.name()].subject());
    EXPECT_EQ(n.body(), listed[n.name()].body());
    EXPECT_LE(FromProto(n.due_time()), after);
  }
  EXPECT_EQ(lease_ids.size(), 4u) << "each lease has its own id";

  // The outbox shows them leased; the later ones wait for their time.
  for (const Notification& n : Outbox(booked.name())) {
    if (listed.count(n.name()) > 0) {
      EXPECT_EQ(n.state(), clinic::v1::NOTIFICATION_STATE_LEASED) << n.name();
      EXPECT_EQ(n.attempts(), 1);
      EXPECT_TRUE(n.has_lease_expire_time());
    } else {
      EXPECT_EQ(n.state(), clinic::v1::NOTIFICATION_STATE_PENDING) << n.name();
      EXPECT_GT(FromProto(n.due_time()), after);
      EXPECT_EQ(n.attempts(), 0);
    }
  }
  EXPECT_EQ(MustClaim(100, absl::Seconds(30)).notifications_size(), 0);
}

TEST_F(NotificationClaimsTest, MaxNotificationsAndChannelsAreHonoured) {
  BookDuePatients(4);
  const std::vector<Notification> due = DueNow();
  ASSERT_EQ(due.size(), 16u);

  std::vector<std::string> all;
  const ClaimNotificationsResponse by_default = MustClaim(0, absl::Seconds(60));
  EXPECT_EQ(by_default.notifications_size(), 10) << "the default batch is 10";
  const ClaimNotificationsResponse three = MustClaim(3, absl::Seconds(60));
  EXPECT_EQ(three.notifications_size(), 3);
  const ClaimNotificationsResponse sms = MustClaim(100, absl::Seconds(60), {kSms});
  for (const Notification& n : sms.notifications()) EXPECT_EQ(n.channel(), kSms) << n.name();
  const ClaimNotificationsResponse email = MustClaim(100, absl::Seconds(60), {kEmail});
  for (const Notification& n : email.notifications()) EXPECT_EQ(n.channel(), kEmail) << n.name();
  EXPECT_GT(sms.notifications_size(), 0);
  EXPECT_GT(email.notifications_size(), 0);
  for (const auto* batch : {&by_default, &three, &sms, &email}) {
    for (const std::string& name : Names(*batch)) all.push_back(name);
  }
  EXPECT_EQ(all.size(), 16u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), NameSet(due));
}

TEST_F(NotificationClaimsTest, InvalidClaimRequestsNameTheField) {
  struct Case {
    std::string what;
    ClaimNotificationsRequest request;
    std::set<std::string> fields;
  };
  std::vector<Case> cases;
  cases.push_back({"negative max", ClaimRequest("", -1, absl::Seconds(60)), {"max_notifications"}});
  cases.push_back({"max above 100", ClaimRequest("", 101, absl::Seconds(60)), {"max_notifications"}});
  cases.push_back({"zero lease", ClaimRequest("", 1, absl::ZeroDuration()), {"lease_duration"}});
  cases.push_back({"half-second lease", ClaimRequest("", 1, absl::Milliseconds(500)),
                   {"lease_duration"}});
  cases.push_back({"negative lease", ClaimRequest("", 1, absl::Seconds(-5)), {"lease_duration"}});
  cases.push_back({"two-hour lease", ClaimRequest("", 1, absl::Hours(2)), {"lease_duration"}});
  ClaimNotificationsRequest unspecified = ClaimRequest("", 1, absl::Seconds(60));
  unspecified.add_channels(clinic::v1::NOTIFICATION_CHANNEL_UNSPECIFIED);
  cases.push_back({"unspecified channel", unspecified, {"channels"}});
  ClaimNotificationsRequest unknown = ClaimRequest("", 1, absl::Seconds(60));
  unknown.add_channels(static_cast<NotificationChannel>(42));
  cases.push_back({"unknown channel", unknown, {"channels"}});
  ClaimNotificationsRequest everything = ClaimRequest("", 500, absl::Hours(3));
  everything.add_channels(static_cast<NotificationChannel>(-1));
  cases.push_back({"all at once", everything, {"max_notifications", "lease_duration", "channels"}});

  for (const Case& c : cases) {
    ClaimNotificationsResponse response;
    grpc::Status status = Claim(worker_key_, c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.what;
    EXPECT_EQ(BadFieldsOf(status), c.fields) << c.what << ": " << status.error_message();
  }
  // The bounds themselves are allowed.
  ClaimNotificationsResponse response;
  EXPECT_TRUE(Claim(worker_key_, ClaimRequest("", 100, absl::Seconds(1)), &response).ok());
  EXPECT_TRUE(Claim(worker_key_, ClaimRequest("", 1, absl::Hours(1)), &response).ok());
}

TEST_F(NotificationClaimsTest, DeliveredIsFinalAndRepeatingItsAckIsHarmless) {
  BookSoon(patient_.name(), 0);
  // Short leases: the others expire, the delivered one must still not return.
  const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(1));
  ASSERT_EQ(claimed.notifications_size(), 4);
  const Notification& delivered = claimed.notifications(0);
  grpc::Status status = Ack(delivered.name(), delivered.lease_id(),
                            clinic::v1::DELIVERY_RESULT_DELIVERED, "250 queued as 7F3A");
  ASSERT_TRUE(status.ok()) << status.error_message();
  Notification listed = Listed(delivered.name());
  EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_DELIVERED);
  EXPECT_EQ(listed.delivery_detail(), "250 queued as 7F3A");
  EXPECT_EQ(listed.attempts(), 1);

  status = Ack(delivered.name(), delivered.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED,
               "250 queued as 7F3A");
  EXPECT_TRUE(status.ok()) << "a repeated acknowledgement: " << status.error_message();
  EXPECT_EQ(Listed(delivered.name()).state(), clinic::v1::NOTIFICATION_STATE_DELIVERED);
  // A different verdict on the same lease is refused.
  status = Ack(delivered.name(), delivered.lease_id(), clinic::v1::DELIVERY_RESULT_FAILED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "LEASE_NOT_HELD");
  // The state is named in the words the API has always used.
  EXPECT_EQ(MetadataOf(status)["state"], "delivered");
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("already acknowledged as delivered"));
  EXPECT_EQ(Listed(delivered.name()).state(), clinic::v1::NOTIFICATION_STATE_DELIVERED);

  // The others' leases expire and they come back; the delivered one never does.
  std::set<std::string> others;
  for (int i = 1; i < 4; ++i) others.insert(claimed.notifications(i).name());
  const std::map<std::string, Notification> again = ReclaimUntil(others, absl::Seconds(6));
  EXPECT_EQ(again.size(), 3u);
  EXPECT_EQ(again.count(delivered.name()), 0u) << "a delivered notification was claimed again";
  EXPECT_EQ(MustClaim(100, absl::Seconds(60)).notifications_size(), 0);
}

TEST_F(NotificationClaimsTest, AcknowledgementsNeedTheLeaseTheyWereClaimedWith) {
  BookSoon(patient_.name(), 0);
  const ClaimNotificationsResponse claimed = MustClaim(1, absl::Seconds(60));
  ASSERT_EQ(claimed.notifications_size(), 1);
  const Notification& n = claimed.notifications(0);

  grpc::Status status = Ack(n.name(), "not-the-lease", clinic::v1::DELIVERY_RESULT_DELIVERED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "LEASE_NOT_HELD");
  EXPECT_EQ(Listed(n.name()).state(), clinic::v1::NOTIFICATION_STATE_LEASED);

  status = Ack(n.name(), "", clinic::v1::DELIVERY_RESULT_DELIVERED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"lease_id"})) << status.error_message();

  status = Ack(n.name(), n.lease_id(), clinic::v1::DELIVERY_RESULT_UNSPECIFIED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"result"})) << status.error_message();

  status = Ack(clinic_.name() + "/notifications/01nosuchnotification000000", n.lease_id(),
               clinic::v1::DELIVERY_RESULT_DELIVERED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();

  status = Ack("notifications/x", n.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"name"})) << status.error_message();

  EXPECT_EQ(Listed(n.name()).state(), clinic::v1::NOTIFICATION_STATE_LEASED);
  status = Ack(n.name(), n.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(NotificationClaimsTest, AnExpiredLeaseIsRedeliveredUnderANewLease) {
  BookSoon(patient_.name(), 0);
  const ClaimNotificationsResponse first = MustClaim(100, absl::Seconds(1));
  ASSERT_EQ(first.notifications_size(), 4);
  std::set<std::string> names;
  for (const Notification& n : first.notifications()) names.insert(n.name());

  // Not acknowledged: each comes back once its lease ran out.
  const std::map<std::string, Notification> second = ReclaimUntil(names, absl::Seconds(6));
  ASSERT_EQ(second.size(), names.size()) << "the expired leases were not claimable again";
  for (const Notification& old : first.notifications()) {
    SCOPED_TRACE(old.name());
    ASSERT_EQ(second.count(old.name()), 1u);
    const Notification& again = second.at(old.name());
    EXPECT_NE(again.lease_id(), old.lease_id());
    EXPECT_FALSE(again.lease_id().empty());
    EXPECT_EQ(again.attempts(), 2);
    EXPECT_EQ(again.dedupe_key(), old.dedupe_key());
    EXPECT_GT(FromProto(again.lease_expire_time()), FromProto(old.lease_expire_time()));

    // The first worker's late acknowledgement is refused; the holder's is taken.
    grpc::Status status = Ack(old.name(), old.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(ReasonOf(status), "LEASE_NOT_HELD");
    EXPECT_EQ(Listed(old.name()).state(), clinic::v1::NOTIFICATION_STATE_LEASED);
    status = Ack(again.name(), again.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

TEST_F(NotificationClaimsTest, RetryBacksOffReleaseReturnsAtOnceFailedIsFinal) {
  BookSoon(patient_.name(), 0);
  const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(60));
  ASSERT_EQ(claimed.notifications_size(), 4);
  const Notification& retried = claimed.notifications(0);
  const Notification& released = claimed.notifications(1);
  const Notification& failed = claimed.notifications(2);

  const absl::Time before = Now();
  grpc::Status status =
      Ack(retried.name(), retried.lease_id(), clinic::v1::DELIVERY_RESULT_RETRY, "451 try later");
  const absl::Time after = Now();
  ASSERT_TRUE(status.ok()) << status.error_message();
  Notification listed = Listed(retried.name());
  EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
  EXPECT_EQ(listed.attempts(), 1);
  EXPECT_EQ(listed.delivery_detail(), "451 try later");
  EXPECT_FALSE(listed.has_lease_expire_time());
  const absl::Time retry_at = FromProto(listed.due_time());
  EXPECT_GE(retry_at, before + absl::Seconds(59)) << InUtc(retry_at) << ", a minute's backoff";
  EXPECT_LE(retry_at, after + absl::Seconds(61)) << InUtc(retry_at) << ", a minute's backoff";

  status = Ack(released.name(), released.lease_id(), clinic::v1::DELIVERY_RESULT_RELEASED,
               "worker stopping");
  ASSERT_TRUE(status.ok()) << status.error_message();
  listed = Listed(released.name());
  EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
  EXPECT_EQ(listed.attempts(), 0) << "a release is not an attempt";

  status = Ack(failed.name(), failed.lease_id(), clinic::v1::DELIVERY_RESULT_FAILED,
               "550 no such user");
  ASSERT_TRUE(status.ok()) << status.error_message();
  listed = Listed(failed.name());
  EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_FAILED);
  EXPECT_EQ(listed.delivery_detail(), "550 no such user");

  // Only the released one is claimable now, as its first attempt again.
  const ClaimNotificationsResponse again = MustClaim(100, absl::Seconds(60));
  ASSERT_EQ(Names(again), std::vector<std::string>{released.name()}) << again.DebugString();
  EXPECT_EQ(again.notifications(0).attempts(), 1);
  EXPECT_NE(again.notifications(0).lease_id(), released.lease_id());

  // Repeating an acknowledgement changes nothing.
  status =
      Ack(retried.name(), retried.lease_id(), clinic::v1::DELIVERY_RESULT_RETRY, "451 try later");
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(InUtc(Listed(retried.name()).due_time()), InUtc(retry_at));
  status = Ack(failed.name(), failed.lease_id(), clinic::v1::DELIVERY_RESULT_FAILED,
               "550 no such user");
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Listed(failed.name()).state(), clinic::v1::NOTIFICATION_STATE_FAILED);
}

TEST_F(NotificationClaimsTest, ANeverAcknowledgedNotificationIsGivenUpAfterTenLeases) {
  const clinic::v1::Patient mail_only = MakeReachablePatient("Erik", "Mailer", {kEmail});
  BookSoon(mail_only.name(), 0);
  ASSERT_EQ(DueNow().size(), 2u);
  std::map<std::string, int> last_attempt;
  bool given_up = false;
  for (int round = 0; !given_up && round < 400; ++round) {
    const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(1));
    for (const Notification& n : claimed.notifications()) {
      EXPECT_EQ(n.attempts(), last_attempt[n.name()] + 1) << n.name();
      last_attempt[n.name()] = n.attempts();
    }
    given_up = true;
    for (const Notification& n : Outbox()) {
      given_up = given_up && n.state() != clinic::v1::NOTIFICATION_STATE_LEASED &&
                 (n.state() == clinic::v1::NOTIFICATION_STATE_FAILED ||
                  FromProto(n.due_time()) > Now());
    }
    if (!given_up) Advance(absl::Seconds(1));
  }
  ASSERT_TRUE(given_up) << "still being redelivered after 400 s";
  ASSERT_EQ(last_attempt.size(), 2u);
  for (const auto& [name, attempts] : last_attempt) {
    EXPECT_EQ(attempts, 10) << name;
    const Notification listed = Listed(name);
    EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_FAILED);
    EXPECT_THAT(listed.delivery_detail(), ::testing::HasSubstr("10 attempts"));
  }
}

TEST_F(NotificationClaimsTest, ConcurrentWorkersNeverShareAClaim) {
  BookDuePatients(10);
  const std::vector<Notification> due = DueNow();
  ASSERT_EQ(due.size(), 40u);
  const std::string address = server_.address();

  constexpr int kWorkers = 8;
  std::mutex mu;
  std::vector<std::string> claimed;
  std::vector<std::string> errors;
  std::vector<std::thread> workers;
  for (int i = 0; i < kWorkers; ++i) {
    workers.emplace_back([&, i] {
      grpc::ChannelArguments args;
      // A connection of its own per worker.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      auto stub = clinic::v1::NotificationService::NewStub(
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
      ClaimNotificationsRequest request = ClaimRequest(clinic_.name(), 3, absl::Seconds(300));
      request.set_worker("worker-" + std::to_string(i));
      for (int round = 0; round < 100; ++round) {
        ClaimNotificationsResponse response;
        grpc::Status status =
            stub->ClaimNotifications(AuthedContext(worker_key_).get(), request, &response);
        std::lock_guard<std::mutex> lock(mu);
        if (!status.ok()) {
          errors.push_back(status.error_message());
          return;
        }
        if (response.notifications_size() > 3) errors.push_back("more than max_notifications");
        if (response.notifications().empty()) return;
        for (const Notification& n : response.notifications()) claimed.push_back(n.name());
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  std::map<std::string, int> times_claimed;
  for (const std::string& name : claimed) ++times_claimed[name];
  for (const auto& [name, times] : times_claimed) EXPECT_EQ(times, 1) << name << " claimed twice";
  std::set<std::string> union_of_claims(claimed.begin(), claimed.end());
  EXPECT_EQ(union_of_claims, NameSet(due));
}

TEST_F(NotificationClaimsTest, KeysAndParentsLimitClaimsToOneClinic) {
  // Clinic B: its own practitioner, room and patient, booked two days ahead.
  const clinic::v1::Clinic other = MakeClinic("Praxis Sued");
  const clinic::v1::Room other_room = MakeRoom(other.name(), "Raum 1", {"microneedling_device", "sink"});
  const clinic::v1::Practitioner other_practitioner =
      MakeAroundTheClockPractitioner(other.name(), "Dr. Immer");
  clinic::v1::CreatePatientRequest create;
  create.set_parent(other.name());
  create.mutable_patient()->set_given_name("Berta");
  create.mutable_patient()->set_family_name("Sued");
  create.mutable_patient()->set_email("berta@example.org");
  clinic::v1::ChannelConsent* consent = create.mutable_patient()->add_channel_consents();
  consent->set_channel(kEmail);
  consent->set_opted_in(true);
  clinic::v1::Patient other_patient;
  ASSERT_TRUE(patients_->CreatePatient(AuthedContext(admin_key_).get(), create, &other_patient).ok());
  ConsultForMicroneedling(other_patient.name());
  clinic::v1::CreateAppointmentRequest book;
  book.set_parent(other.name());
  *book.mutable_appointment() = Draft(At(soon_, 12), "", other_patient.name());
  book.mutable_appointment()->set_practitioner(other_practitioner.name());
  book.mutable_appointment()->set_room(other_room.name());
  Appointment other_booked;
  grpc::Status status =
      booking_->CreateAppointment(AuthedContext(admin_key_).get(), book, &other_booked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  BookSoon(patient_.name(), 0);
  ASSERT_EQ(DueNow().size(), 4u);

  const std::string mine_only = server_.CreateKey("reminder_worker", ClinicId(clinic_));
  ASSERT_FALSE(mine_only.empty());
  ClaimNotificationsResponse response;
  status = Claim(mine_only, ClaimRequest(other.name(), 100, absl::Seconds(60)), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_EQ(response.notifications_size(), 0);

  status = Claim(mine_only, ClaimRequest("", 100, absl::Seconds(60)), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.notifications_size(), 4);
  for (const Notification& n : response.notifications()) {
    EXPECT_EQ(n.name().rfind(clinic_.name() + "/notifications/", 0), 0u) << n.name();
  }

  // An unlimited worker with a parent takes only that clinic's.
  ClaimNotificationsResponse theirs;
  status = Claim(worker_key_, ClaimRequest(other.name(), 100, absl::Seconds(60)), &theirs);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(theirs.notifications_size(), 2) << "e-mail only, a week and three days before";
  for (const Notification& n : theirs.notifications()) {
    EXPECT_EQ(n.name().rfind(other.name() + "/notifications/", 0), 0u) << n.name();
    EXPECT_EQ(n.recipient(), "berta@example.org");
  }
  // Nor can the limited key acknowledge the other clinic's.
  status = Ack(theirs.notifications(0).name(), theirs.notifications(0).lease_id(),
               clinic::v1::DELIVERY_RESULT_DELIVERED, "", mine_only);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  ASSERT_TRUE(Claim(worker_key_, ClaimRequest("", 100, absl::Seconds(60)), &response).ok());
  EXPECT_EQ(response.notifications_size(), 0) << "all were leased already";

  // The front desk reads the outbox but does not deliver it; nor do integrations.
  const std::string front_desk = server_.CreateKey("front_desk");
  status = Claim(front_desk, ClaimRequest("", 10, absl::Seconds(60)), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "ROLE_NOT_ALLOWED");
  const std::string integration = server_.CreateKey("integration");
  status = Ack(theirs.notifications(0).name(), theirs.notifications(0).lease_id(),
               clinic::v1::DELIVERY_RESULT_DELIVERED, "", integration);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
}

TEST_F(NotificationClaimsTest, RemindersOfACancelledAppointmentAreNotDeliveredOnRetry) {
  // A worker holds the reminders when the appointment is cancelled; its
  // attempt then fails or is abandoned. The reminder must not go out later
  // for an appointment that no longer exists.
  const Appointment booked = BookSoon(patient_.name(), 0);
  const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(60));
  ASSERT_EQ(claimed.notifications_size(), 4);
  Appointment cancelled;
  grpc::Status status = Cancel(booked.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const Notification& n : Outbox(booked.name(), {clinic::v1::NOTIFICATION_STATE_PENDING})) {
    ADD_FAILURE() << n.name() << " still pending after the cancellation";
  }

  const Notification& released = claimed.notifications(0);
  const Notification& retried = claimed.notifications(1);
  ASSERT_TRUE(Ack(released.name(), released.lease_id(), clinic::v1::DELIVERY_RESULT_RELEASED).ok());
  ASSERT_TRUE(
      Ack(retried.name(), retried.lease_id(), clinic::v1::DELIVERY_RESULT_RETRY, "451").ok());

  EXPECT_NE(Listed(released.name()).state(), clinic::v1::NOTIFICATION_STATE_PENDING)
      << "BUG: the released reminder of a cancelled appointment is pending again";
  EXPECT_NE(Listed(retried.name()).state(), clinic::v1::NOTIFICATION_STATE_PENDING)
      << "BUG: the retried reminder of a cancelled appointment is pending again (due "
      << InUtc(Listed(retried.name()).due_time()) << ")";
  const ClaimNotificationsResponse again = MustClaim(100, absl::Seconds(60));
  EXPECT_EQ(again.notifications_size(), 0)
      << "BUG: a reminder of a cancelled appointment was leased again: " << again.DebugString();
}

TEST_F(NotificationClaimsTest, ADeliveryReportedAfterTheAppointmentMovedAwayAndBackIsKept) {
  // The front desk moves the appointment and straight back (an undo) while
  // a worker is sending its reminders. The reminders come back under their
  // old identity; the worker's DELIVERED must still count, or the patient
  // gets every message twice.
  const Appointment booked = BookSoon(patient_.name(), 0);
  const ClaimNotificationsResponse claimed = MustClaim(100, absl::Seconds(60));
  ASSERT_EQ(claimed.notifications_size(), 4);
  Appointment moved;
  grpc::Status status = Reschedule(booked, At(soon_, 3) + absl::Minutes(90), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  Appointment back;
  status = Reschedule(moved, At(soon_, 3), &back);
  ASSERT_TRUE(status.ok()) << status.error_message();

  for (const Notification& n : claimed.notifications()) {
    SCOPED_TRACE(n.name());
    status = Ack(n.name(), n.lease_id(), clinic::v1::DELIVERY_RESULT_DELIVERED, "250 OK");
    EXPECT_TRUE(status.ok()) << "BUG: the lease holder's DELIVERED was refused ("
                             << ReasonOf(status) << "): " << status.error_message();
    const Notification listed = Listed(n.name());
    EXPECT_EQ(listed.state(), clinic::v1::NOTIFICATION_STATE_DELIVERED)
        << "BUG: sent, yet " << clinic::v1::NotificationState_Name(listed.state());
  }
  const ClaimNotificationsResponse again = MustClaim(100, absl::Seconds(60));
  for (const Notification& n : again.notifications()) {
    for (const Notification& sent : claimed.notifications()) {
      EXPECT_NE(n.dedupe_key(), sent.dedupe_key())
          << "BUG: " << n.subject() << " (" << n.dedupe_key() << ") is delivered a second time";
    }
  }
}

}  // namespace
}  // namespace clinicd::testing
