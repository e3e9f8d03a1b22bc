// clinic-reminder-worker, the binary, against a real clinicd (port 0, temp
// SQLite, bundled plugins) and real receivers on loopback: what a booking
// queues is claimed, delivered on each channel and acked; SIGTERM in the
// middle of a batch finishes the delivery under way and releases the rest;
// on PostgreSQL, workers polling two clinicd processes on one database
// deliver every message once.

#include <google/protobuf/util/json_util.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/reminder_worker/mime_message.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/notification_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/rpc_test_base.h"
#include "tests/plugins/berlin_time.h"
#include "tests/reminder_worker/helper_process.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::reminder_worker {
namespace {

using ::clinicd::plugins::test_time::At;
using ::clinicd::plugins::test_time::Berlin;
using ::clinicd::plugins::test_time::ToProto;
using ::testing::HasSubstr;
using testing::HelperProcess;
using ::testing::Not;
using testing::ReadFile;
using testing::ReadRecord;
using ::testing::StartsWith;
using testing::TempDir;
using ::testing::UnorderedElementsAre;
using testing::WorkerProcess;

constexpr char kMicroneedling[] = "treatmentTypes/microneedling";
constexpr char kWebhookSecret[] = "whsec-e2e-0123456789abcdef";
// The microneedling plugin's preparation messages that are overdue two days ahead.
constexpr char kSubjectWeekBefore[] = "One week to go: please skip peels and laser";
constexpr char kSubjectThreeDaysBefore[] = "Three days to go: time to pause strong skincare";

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Waits up to `seconds` for `done()`.
template <typename Done>
bool Eventually(int seconds, Done done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

class WorkerEndToEndTest : public clinicd::testing::RpcTest {
 protected:
  void SetUp() override {
    // The server's clock stands still: the patients' consultations happen at
    // its now, and leases run out when a test moves it on.
    UseTestClock(absl::Now());
    RpcTest::SetUp();
    if (HasFatalFailure()) return;
    worker_key_ = server_.CreateKey("reminder_worker");
    ASSERT_FALSE(worker_key_.empty());
    const std::string log = server_.Log();
    const size_t at = log.find("clinicd listening on ");
    ASSERT_NE(at, std::string::npos) << log;
    address_ = log.substr(at + 21, log.find_first_of(" \n", at + 21) - at - 21);
    notifications_ = clinic::v1::NotificationService::NewStub(server_.channel());
    clinic_ = MakeClinic();
    room_ = MakeRoom(clinic_.name(), "Room 1", {"microneedling_device", "sink"});
    practitioner_ = MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Weber");
  }

  // A patient with `email` and a phone, opted in to `channels`, cleared for
  // microneedling.
  clinic::v1::Patient MakeReachablePatient(
      const std::string& email, const std::vector<clinic::v1::NotificationChannel>& channels) {
    clinic::v1::CreatePatientRequest request;
    request.set_parent(clinic_.name());
    clinic::v1::Patient* patient = request.mutable_patient();
    patient->set_given_name("Anna");
    patient->set_family_name("Müller");
    patient->set_email(email);
    patient->set_phone_number("+4915123456789");
    for (clinic::v1::NotificationChannel channel : channels) {
      clinic::v1::ChannelConsent* consent = patient->add_channel_consents();
      consent->set_channel(channel);
      consent->set_opted_in(true);
    }
    clinic::v1::Patient created;
    const grpc::Status status = patients_->CreatePatient(
        clinicd::testing::AuthedContext(admin_key_).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    ClearForMicroneedling(created.name());
    return created;
  }

  // Books microneedling for `patient` two days ahead at `hour`:00 in Berlin,
  // in `room` with `practitioner` (the fixture's when empty). The
  // week-before and three-days-before preparation messages are then overdue,
  // so the server queues them due now, once per opted-in channel.
  clinic::v1::Appointment BookTwoDaysAhead(const std::string& patient, int hour = 10,
                                           const std::string& room = "",
                                           const std::string& practitioner = "") {
    auto booking = clinic::v1::BookingService::NewStub(server_.channel());
    clinic::v1::CreateAppointmentRequest request;
    request.set_parent(clinic_.name());
    clinic::v1::Appointment* appointment = request.mutable_appointment();
    appointment->set_patient(patient);
    appointment->set_treatment_type(kMicroneedling);
    appointment->set_practitioner(practitioner.empty() ? practitioner_.name() : practitioner);
    appointment->set_room(room.empty() ? room_.name() : room);
    *appointment->mutable_start_time() =
        ToProto(At(absl::ToCivilDay(absl::Now(), Berlin()) + 2, hour));
    clinic::v1::Appointment booked;
    const grpc::Status status = booking->CreateAppointment(
        clinicd::testing::AuthedContext(admin_key_).get(), request, &booked);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return booked;
  }

  // Claims what is claimable now, on every channel, as a worker would.
  clinic::v1::ClaimNotificationsResponse ClaimNow() {
    clinic::v1::ClaimNotificationsRequest request;
    request.set_max_notifications(100);
    request.set_worker("e2e-test");
    clinic::v1::ClaimNotificationsResponse response;
    const grpc::Status status = notifications_->ClaimNotifications(
        clinicd::testing::AuthedContext(worker_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // The worker's flags for this server, polling fast.
  std::vector<std::string> WorkerArgs() const {
    return {"--server=" + address_, "--poll_interval=100ms", "--log_level=debug",
            "--worker_id=e2e-worker"};
  }

  std::string worker_key_;
  std::string address_;
  std::unique_ptr<clinic::v1::NotificationService::Stub> notifications_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Room room_;
  clinic::v1::Practitioner practitioner_;
  TempDir dir_;
};

TEST_F(WorkerEndToEndTest, DeliversWhatABookingQueuesOnEveryChannelAndAcksIt) {
  const clinic::v1::Patient patient =
      MakeReachablePatient("anna.mueller@example.org", {clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                                                        clinic::v1::NOTIFICATION_CHANNEL_SMS,
                                                        clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK});
  const clinic::v1::Appointment appointment = BookTwoDaysAhead(patient.name());
  ASSERT_FALSE(appointment.name().empty());

  TempDir mail;
  TempDir hooks;
  std::string error;
  auto smtp = HelperProcess::Start("smtp_receiver.py", {mail.path()}, {}, &error);
  ASSERT_NE(smtp, nullptr) << error;
  auto webhook = HelperProcess::Start("webhook_receiver.py", {hooks.path()},
                                      {absl::StrCat("WEBHOOK_SECRET=", kWebhookSecret)}, &error);
  ASSERT_NE(webhook, nullptr) << error;
  const std::string outbox = dir_.path() + "/outbox.jsonl";

  std::vector<std::string> args = WorkerArgs();
  args.insert(args.end(),
              {absl::StrCat("--smtp_url=smtp://127.0.0.1:", smtp->port()),
               "--smtp_from=praxis@example.org", "--smtp_starttls=off",
               absl::StrCat("--webhook_url=http://127.0.0.1:", webhook->port(), "/clinic-app"),
               "--file_channel=sms", "--outbox_file=" + outbox,
               // Short leases, so that an unacked notification would be claimable below.
               "--lease=3s", "--delivery_timeout=2s"});
  WorkerProcess worker(
      args,
      {"CLINICD_API_KEY=" + worker_key_, absl::StrCat("CLINICD_WEBHOOK_SECRET=", kWebhookSecret)},
      dir_.path() + "/worker.log");

  ASSERT_TRUE(Eventually(20, [&] {
    return testing::CountRecords(mail.path()) == 2 && testing::CountRecords(hooks.path()) == 2 &&
           Lines(ReadFile(outbox)).size() == 2;
  })) << worker.Log();
  worker.Signal(SIGTERM);
  EXPECT_EQ(worker.Wait(15), 0) << worker.Log();
  const std::string log = worker.Log();
  EXPECT_THAT(log, HasSubstr("stopped"));

  // E-mail: to the patient, Message-ID from the dedupe key.
  std::vector<std::string> subjects;
  for (int n = 0; n < 2; ++n) {
    google::protobuf::Struct record;
    ASSERT_TRUE(ReadRecord(absl::StrCat(mail.path(), "/", n, ".json"), &record));
    const auto& fields = record.fields();
    EXPECT_EQ(fields.at("to").string_value(), "anna.mueller@example.org");
    subjects.push_back(fields.at("subject").string_value());
    EXPECT_THAT(fields.at("message_id").string_value(), StartsWith("<" + appointment.name() + "/"));
    EXPECT_THAT(fields.at("message_id").string_value(), HasSubstr("/email@clinicd>"));
    EXPECT_EQ(fields.at("defects").list_value().values_size(), 0);
  }
  EXPECT_THAT(subjects, UnorderedElementsAre(kSubjectWeekBefore, kSubjectThreeDaysBefore));
  // Webhook: signed, keyed, about the patient.
  for (int n = 0; n < 2; ++n) {
    google::protobuf::Struct record;
    ASSERT_TRUE(ReadRecord(absl::StrCat(hooks.path(), "/", n, ".json"), &record));
    const auto& fields = record.fields();
    EXPECT_TRUE(fields.at("signature_valid").bool_value());
    const std::string key =
        fields.at("headers").struct_value().fields().at("idempotency-key").string_value();
    EXPECT_THAT(key, StartsWith(appointment.name()));
    EXPECT_THAT(fields.at("body").string_value(), HasSubstr(patient.name()));
  }
  // SMS to the file: one JSON line each, to the patient's phone.
  for (const std::string& line : Lines(ReadFile(outbox))) {
    EXPECT_THAT(line, HasSubstr(R"("recipient":"+4915123456789")"));
    EXPECT_THAT(line, HasSubstr(R"("channel":"NOTIFICATION_CHANNEL_SMS")"));
  }

  // Every one was acked: once the 3 s leases are over, nothing is claimable.
  Advance(absl::Seconds(4));
  EXPECT_EQ(ClaimNow().notifications_size(), 0);

  // The log names notifications and results, never the patient's data.
  EXPECT_THAT(log, HasSubstr(appointment.name()));
  EXPECT_THAT(log, Not(HasSubstr("anna.mueller")));
  EXPECT_THAT(log, Not(HasSubstr("4915123456789")));
  EXPECT_THAT(log, Not(HasSubstr(kSubjectWeekBefore)));
  EXPECT_THAT(log, Not(HasSubstr("Müller")));
}

TEST_F(WorkerEndToEndTest, TwoWorkersDeliverEveryWebhookOnceWithAValidSignature) {
  // Four patients, two overdue preparation messages each: eight webhooks.
  std::vector<std::string> appointments;
  for (int i = 0; i < 4; ++i) {
    const clinic::v1::Patient patient = MakeReachablePatient(
        absl::StrCat("p", i, "@example.org"), {clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK});
    appointments.push_back(BookTwoDaysAhead(patient.name(), 8 + 2 * i).name());
  }
  TempDir hooks;
  std::string error;
  auto webhook = HelperProcess::Start("webhook_receiver.py", {hooks.path()},
                                      {absl::StrCat("WEBHOOK_SECRET=", kWebhookSecret)}, &error);
  ASSERT_NE(webhook, nullptr) << error;
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (int w = 0; w < 2; ++w) {
    workers.push_back(std::make_unique<WorkerProcess>(
        std::vector<std::string>{
            "--server=" + address_, "--poll_interval=50ms", absl::StrCat("--worker_id=w", w),
            "--batch=1",
            absl::StrCat("--webhook_url=http://127.0.0.1:", webhook->port(), "/clinic-app")},
        std::vector<std::string>{"CLINICD_API_KEY=" + worker_key_,
                                 absl::StrCat("CLINICD_WEBHOOK_SECRET=", kWebhookSecret)},
        absl::StrCat(dir_.path(), "/worker", w, ".log")));
  }
  ASSERT_TRUE(Eventually(20, [&] { return testing::CountRecords(hooks.path()) >= 8; }))
      << workers[0]->Log() << workers[1]->Log();
  // Both keep polling for a while: nothing more may arrive.
  absl::SleepFor(absl::Seconds(2));
  for (auto& worker : workers) {
    worker->Signal(SIGTERM);
    EXPECT_EQ(worker->Wait(15), 0) << worker->Log();
  }
  ASSERT_EQ(testing::CountRecords(hooks.path()), 8);
  std::set<std::string> keys;
  for (int n = 0; n < 8; ++n) {
    google::protobuf::Struct record;
    ASSERT_TRUE(ReadRecord(absl::StrCat(hooks.path(), "/", n, ".json"), &record));
    const auto& fields = record.fields();
    EXPECT_TRUE(fields.at("signature_valid").bool_value()) << n;
    keys.insert(
        fields.at("headers").struct_value().fields().at("idempotency-key").string_value());
  }
  EXPECT_EQ(keys.size(), 8u) << "every idempotency key once: no duplicate delivery";
}

TEST_F(WorkerEndToEndTest, WorkersOnTwoServersSharingOneDatabaseDeliverEveryMessageOnce) {
  if (!clinicd::test_util::UsingPostgres()) {
    GTEST_SKIP() << "two processes share a PostgreSQL database";
  }
  // Three rooms with a practitioner each and eight sessions in each, two
  // days ahead: 24 patients on e-mail and SMS, two overdue preparation
  // messages per channel, 96 messages.
  constexpr int kSessionsPerRoom = 8;
  std::vector<std::pair<std::string, std::string>> places = {
      {room_.name(), practitioner_.name()}};
  for (int r = 2; r <= 3; ++r) {
    places.emplace_back(
        MakeRoom(clinic_.name(), absl::StrCat("Room ", r), {"microneedling_device", "sink"})
            .name(),
        MakeAroundTheClockPractitioner(clinic_.name(), absl::StrCat("Dr. Raum", r)).name());
  }
  int patients = 0;
  for (const auto& [room, practitioner] : places) {
    for (int i = 0; i < kSessionsPerRoom; ++i) {
      const clinic::v1::Patient patient = MakeReachablePatient(
          absl::StrCat("p", patients++, "@example.org"),
          {clinic::v1::NOTIFICATION_CHANNEL_EMAIL, clinic::v1::NOTIFICATION_CHANNEL_SMS});
      ASSERT_FALSE(BookTwoDaysAhead(patient.name(), 8 + 2 * i, room, practitioner).name().empty());
    }
  }
  const size_t messages = 4 * patients;

  clinicd::testing::ClinicdProcess second(server_.db());
  second.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("microneedling"));
  second.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("maintenance_recall"));
  // Standing at the first's time: a lease one server hands out runs out at
  // the same instant on the other.
  second.UseTestClock(absl::FormatTime(absl::RFC3339_full, Now(), absl::UTCTimeZone()));
  std::string error;
  ASSERT_TRUE(second.Start(&error)) << error;

  // One worker per server, each writing what it delivers to its own file,
  // one notification at a time so that both take part.
  const std::vector<std::string> servers = {address_, second.address()};
  std::vector<std::string> outboxes;
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (size_t w = 0; w < servers.size(); ++w) {
    outboxes.push_back(absl::StrCat(dir_.path(), "/outbox", w, ".jsonl"));
    workers.push_back(std::make_unique<WorkerProcess>(
        std::vector<std::string>{"--server=" + servers[w], "--poll_interval=50ms",
                                 absl::StrCat("--worker_id=server", w), "--batch=1",
                                 "--file_channel=email,sms", "--outbox_file=" + outboxes[w]},
        std::vector<std::string>{"CLINICD_API_KEY=" + worker_key_},
        absl::StrCat(dir_.path(), "/worker", w, ".log")));
  }
  auto delivered = [&] {
    size_t lines = 0;
    for (const std::string& outbox : outboxes) lines += Lines(ReadFile(outbox)).size();
    return lines;
  };
  ASSERT_TRUE(Eventually(90, [&] { return delivered() >= messages; }))
      << delivered() << " of " << messages << " delivered\n"
      << workers[0]->Log() << workers[1]->Log();
  // Both keep polling for a while: nothing more may arrive.
  absl::SleepFor(absl::Seconds(2));
  for (auto& worker : workers) {
    worker->Signal(SIGTERM);
    EXPECT_EQ(worker->Wait(15), 0) << worker->Log();
  }

  // Every message once, by name and by dedupe key, over both files.
  std::map<std::string, int> by_name;
  std::map<std::string, int> by_key;
  std::vector<int> per_worker;
  for (const std::string& outbox : outboxes) {
    per_worker.push_back(0);
    for (const std::string& line : Lines(ReadFile(outbox))) {
      clinic::v1::Notification notification;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &notification).ok()) << line;
      ++by_name[notification.name()];
      ++by_key[notification.dedupe_key()];
      ++per_worker.back();
    }
  }
  EXPECT_EQ(per_worker[0] + per_worker[1], static_cast<int>(messages));
  EXPECT_EQ(by_name.size(), messages);
  EXPECT_EQ(by_key.size(), messages);
  for (const auto& [name, count] : by_name) EXPECT_EQ(count, 1) << name << " delivered twice";
  for (const auto& [key, count] : by_key) EXPECT_EQ(count, 1) << key << " delivered twice";
  // Both took part, or the test would show nothing about two servers. Not
  // guaranteed by anything but timing: each claims one at a time and polls
  // every 50 ms over 96 messages (runs split 48/48, 43/53, 30/66).
  EXPECT_GT(per_worker[0], 0) << workers[0]->Log();
  EXPECT_GT(per_worker[1], 0) << workers[1]->Log();

  // The database agrees: each one delivered, none left to claim.
  clinic::v1::ListNotificationsRequest list;
  list.set_parent(clinic_.name());
  list.add_states(clinic::v1::NOTIFICATION_STATE_DELIVERED);
  list.set_page_size(500);
  clinic::v1::ListNotificationsResponse listed;
  const grpc::Status status = notifications_->ListNotifications(
      clinicd::testing::AuthedContext(admin_key_).get(), list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(static_cast<size_t>(listed.notifications_size()), messages);
  for (const clinic::v1::Notification& n : listed.notifications()) {
    EXPECT_EQ(by_name[n.name()], 1) << n.name() << " delivered, but not through a worker's file";
  }
  EXPECT_EQ(ClaimNow().notifications_size(), 0);
}

TEST_F(WorkerEndToEndTest, StopFinishesTheDeliveryUnderWayAndReleasesTheRest) {
  // Two e-mails; the relay takes two seconds over each.
  const clinic::v1::Patient patient =
      MakeReachablePatient("slow@example.org", {clinic::v1::NOTIFICATION_CHANNEL_EMAIL});
  BookTwoDaysAhead(patient.name());
  TempDir mail;
  std::string error;
  auto smtp = HelperProcess::Start("smtp_receiver.py", {mail.path()}, {}, &error);
  ASSERT_NE(smtp, nullptr) << error;

  std::vector<std::string> args = WorkerArgs();
  args.insert(args.end(), {absl::StrCat("--smtp_url=smtp://127.0.0.1:", smtp->port()),
                           "--smtp_from=praxis@example.org", "--smtp_starttls=off"});
  WorkerProcess worker(args, {"CLINICD_API_KEY=" + worker_key_}, dir_.path() + "/worker.log");
  ASSERT_TRUE(worker.WaitForLog("claimed 2 notifications", 20)) << worker.Log();
  worker.Signal(SIGTERM);  // While the first is with the relay.
  EXPECT_EQ(worker.Wait(15), 0) << worker.Log();
  EXPECT_THAT(worker.Log(), HasSubstr("released 1 notifications undelivered"));
  EXPECT_EQ(testing::CountRecords(mail.path()), 1);

  // The released one is claimable again at once, and the release did not
  // count: this claim is its first attempt (clinicd counts the lease it hands out).
  const clinic::v1::ClaimNotificationsResponse again = ClaimNow();
  ASSERT_EQ(again.notifications_size(), 1) << worker.Log();
  EXPECT_EQ(again.notifications(0).attempts(), 1);
  google::protobuf::Struct delivered;
  ASSERT_TRUE(ReadRecord(mail.path() + "/0.json", &delivered));
  EXPECT_NE(delivered.fields().at("message_id").string_value(),
            MessageIdFor(again.notifications(0).dedupe_key()));
}

TEST_F(WorkerEndToEndTest, ARefusedKeyEndsTheWorkerWithStatus1) {
  std::vector<std::string> args = WorkerArgs();
  args.insert(args.end(), {"--file_channel=sms", "--outbox_file=" + dir_.path() + "/o.jsonl"});
  WorkerProcess worker(args, {"CLINICD_API_KEY=clinicd_not-a-key"}, dir_.path() + "/worker.log");
  EXPECT_EQ(worker.Wait(15), 1) << worker.Log();
  EXPECT_THAT(worker.Log(), HasSubstr("ClaimNotifications refused: UNAUTHENTICATED"));
}

TEST(WorkerCommandLineTest, BadFlagsExit2NamingTheFlag) {
  TempDir dir;
  WorkerProcess worker({"--batch=0", "--file_channel=sms", "--outbox_file=" + dir.path() + "/o"},
                       {"CLINICD_API_KEY=k"}, dir.path() + "/worker.log");
  EXPECT_EQ(worker.Wait(10), 2);
  EXPECT_EQ(worker.Log(), "clinic-reminder-worker: --batch must be between 1 and 100, got 0\n");

  WorkerProcess unknown({"--smtp_host=relay"}, {}, dir.path() + "/unknown.log");
  EXPECT_EQ(unknown.Wait(10), 2);
  EXPECT_EQ(unknown.Log(), "clinic-reminder-worker: unknown flag --smtp_host\n");
}

}  // namespace
}  // namespace clinicd::reminder_worker
