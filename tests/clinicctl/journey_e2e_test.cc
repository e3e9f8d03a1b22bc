// The README's walkthrough as a test, with the real binaries only: clinicd
// (port 0, keys from `clinicd keys create`), a real SMTP sink (aiosmtpd via
// smtp_receiver.py), clinic-reminder-worker, and clinicctl for everything the
// front desk does: clinic, practitioner and room, patient register, consent
// sign, screening, series, booking session 1 two days ahead (so the week- and
// three-days-before preparation reminders go out at once), check-in,
// completion, and aftercare sent now. Then a worker killed with SIGKILL while
// it holds leases: a second worker delivers what it held once the leases run
// out, and nothing is lost.

#include <signal.h>
#include <google/protobuf/util/json_util.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/reminder_worker/mime_message.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/notification_service.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "clinicd/test_clock/v1/test_clock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/integration/clinicd_process.h"
#include "tests/reminder_worker/helper_process.h"

namespace clinicd::clinicctl::testing {
namespace {

using reminder_worker::testing::HelperProcess;
using reminder_worker::testing::ReadRecord;
using reminder_worker::testing::TempDir;
using reminder_worker::testing::WorkerProcess;
using ::testing::HasSubstr;

// The relay takes two seconds over mail to slow@..., so that a worker still
// holds leases when it is killed.
constexpr char kPatientEmail[] = "slow@example.org";

// `text` with every run of white space as one space (the e-mail body may be
// wrapped differently from the protocol's text).
std::string Words(const std::string& text) {
  return absl::StrJoin(absl::StrSplit(text, absl::ByAnyChar(" \n\r\t"), absl::SkipEmpty()), " ");
}

template <typename Done>
bool Eventually(int seconds, Done done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// One e-mail the sink received.
struct Mail {
  std::string to;
  std::string subject;
  std::string message_id;
  std::string body;
};

class JourneyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("microneedling"));
    server_.AddPlugin(clinicd::testing::ClinicdProcess::BundledPlugin("maintenance_recall"));
    admin_ = server_.CreateKey("admin");
    front_desk_ = server_.CreateKey("front_desk");
    clinician_ = server_.CreateKey("clinician");
    worker_key_ = server_.CreateKey("reminder_worker");
    ASSERT_FALSE(admin_.empty() || front_desk_.empty() || clinician_.empty() ||
                 worker_key_.empty());
    std::string error;
    // The server's clock stands still from the start; the journey moves it
    // to the session and on while a killed worker's leases run out.
    server_.UseTestClock("now");
    ASSERT_TRUE(server_.Start(&error)) << error;
    clock_ = clinicd::test_clock::v1::TestClockService::NewStub(server_.channel());
    smtp_ = HelperProcess::Start("smtp_receiver.py", {mail_.path()}, {}, &error);
    ASSERT_NE(smtp_, nullptr) << error;
  }

  // `clinicctl <args>` with `key` and, once created, the clinic.
  ProgramResult Ctl(const std::vector<std::string>& args, const std::string& key) const {
    std::vector<std::string> argv = {ClinicctlBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env = {"CLINICD_ADDRESS=" + server_.address(),
                                    "CLINICD_API_KEY=" + key};
    if (!clinic_.empty()) env.push_back("CLINICD_CLINIC=" + clinic_);
    return test_util::RunProgram(argv, env, absl::Seconds(30));
  }

  // Stands the server's clock at `time`.
  void SetTime(absl::Time time) {
    clinicd::test_clock::v1::SetTestTimeRequest request;
    request.mutable_time()->set_seconds(absl::ToUnixSeconds(time));
    clinicd::test_clock::v1::TestTime reply;
    const grpc::Status status =
        clock_->SetTestTime(clinicd::testing::AuthedContext(admin_).get(), request, &reply);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Moves the server's clock on by `step`.
  void Advance(absl::Duration step) {
    clinicd::test_clock::v1::AdvanceTestTimeRequest request;
    request.mutable_step()->set_seconds(absl::ToInt64Seconds(step));
    clinicd::test_clock::v1::TestTime reply;
    const grpc::Status status =
        clock_->AdvanceTestTime(clinicd::testing::AuthedContext(admin_).get(), request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // Runs `args`, expecting success; its stdout.
  std::string Must(const std::vector<std::string>& args, const std::string& key) {
    const ProgramResult result = Ctl(args, key);
    EXPECT_EQ(result.exit_code, 0) << absl::StrJoin(args, " ") << "\n" << result.err;
    return result.out;
  }

  std::unique_ptr<WorkerProcess> StartWorker(const std::string& id, const std::string& lease) {
    return std::make_unique<WorkerProcess>(
        std::vector<std::string>{"--server=" + server_.address(),
                                 absl::StrCat("--smtp_url=smtp://127.0.0.1:", smtp_->port()),
                                 "--smtp_starttls=off", "--smtp_from=praxis@example.org",
                                 "--poll_interval=100ms", "--log_level=debug", "--worker_id=" + id,
                                 "--lease=" + lease, "--delivery_timeout=3s"},
        std::vector<std::string>{"CLINICD_API_KEY=" + worker_key_},
        dir_.path() + "/" + id + ".log");
  }

  // Every e-mail the sink received so far.
  std::vector<Mail> Received() const {
    std::vector<Mail> mails;
    const int count = reminder_worker::testing::CountRecords(mail_.path());
    for (int n = 0; n < count; ++n) {
      google::protobuf::Struct record;
      if (!ReadRecord(absl::StrCat(mail_.path(), "/", n, ".json"), &record)) continue;
      const auto& fields = record.fields();
      mails.push_back({fields.at("to").string_value(), fields.at("subject").string_value(),
                       fields.at("message_id").string_value(),
                       fields.at("body").string_value()});
    }
    return mails;
  }

  // How many received e-mails carry `message_id`.
  int CountWithId(const std::string& message_id) const {
    int count = 0;
    for (const Mail& mail : Received()) count += mail.message_id == message_id;
    return count;
  }

  // The appointment's aftercare notifications as `clinicctl outbox list --json` shows them.
  std::vector<clinic::v1::Notification> Aftercare(const std::string& appointment) {
    const auto listed = FromJson<clinic::v1::ListNotificationsResponse>(
        Must({"outbox", "list", "--appointment=" + appointment, "--limit=100", "--json"},
             front_desk_));
    std::vector<clinic::v1::Notification> aftercare;
    for (const clinic::v1::Notification& n : listed.notifications()) {
      if (n.kind() == clinic::v1::NOTIFICATION_KIND_AFTERCARE) aftercare.push_back(n);
    }
    return aftercare;
  }

  clinicd::testing::ClinicdProcess server_;
  std::unique_ptr<clinicd::test_clock::v1::TestClockService::Stub> clock_;
  std::string admin_, front_desk_, clinician_, worker_key_;
  std::string clinic_;
  TempDir dir_;
  TempDir mail_;
  std::unique_ptr<HelperProcess> smtp_;
};

TEST_F(JourneyTest, FromAnEmptyServerToRemindersAndAftercareInTheMailSink) {
  // The protocol's texts, from the catalog.
  auto catalog = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
  clinic::v1::GetTreatmentTypeRequest get;
  get.set_name("treatmentTypes/microneedling");
  clinic::v1::TreatmentType microneedling;
  ASSERT_TRUE(catalog->GetTreatmentType(clinicd::testing::AuthedContext(admin_).get(), get,
                                        &microneedling)
                  .ok());
  ASSERT_GE(microneedling.preparation_size(), 2);
  std::map<std::string, std::string> texts;  // title -> body
  for (const auto& m : microneedling.preparation()) texts[m.title()] = m.body();
  for (const auto& m : microneedling.aftercare()) texts[m.title()] = m.body();

  auto worker = StartWorker("worker-1", "4s");

  // Set up: clinic (no quiet hours), practitioner, room.
  const std::string created =
      Must({"clinic", "create", "--name=Haut & Licht Berlin", "--time_zone=Europe/Berlin",
            "--region=DE", "--email=praxis@example.org"},
           admin_);
  const size_t at = created.find("export CLINICD_CLINIC=");
  ASSERT_NE(at, std::string::npos) << created;
  clinic_ = created.substr(at + 22, created.find('\n', at) - at - 22);
  Must({"practitioner", "create", "--name=Dr. Lena Wolf", "--treatments=microneedling",
        "--hours=mon-sun 08:00-18:00"},
       admin_);
  Must({"room", "create", "--name=Room 1", "--capabilities=microneedling_device,sink"}, admin_);

  // Register, sign, screen: treatable.
  const auto patient = FromJson<clinic::v1::Patient>(
      Must({"patient", "register", "--given=Anna", "--family=Schmidt",
            std::string("--email=") + kPatientEmail, "--opt_in=email", "--json"},
           front_desk_));
  ASSERT_FALSE(patient.name().empty());
  const std::string signed_out =
      Must({"consent", "sign", "Anna Schmidt", "--treatment=microneedling", "--shown"}, front_desk_);
  EXPECT_THAT(signed_out, HasSubstr("Signed: Anna Schmidt (patient)"));
  EXPECT_THAT(Must({"screening", "submit", "Anna Schmidt", "--treatment=microneedling"},
                   front_desk_),
              HasSubstr(": CLEARED"));

  // A course, and its first session two days ahead.
  const auto series = FromJson<clinic::v1::Series>(
      Must({"series", "create", "--patient=Anna Schmidt", "--indication=acne_scars", "--json"},
           front_desk_));
  ASSERT_FALSE(series.name().empty());
  const auto appointment = FromJson<clinic::v1::Appointment>(
      Must({"appointment", "book", "--patient=Anna Schmidt", "--series=" + IdOf(series.name()),
            "--at=+2 10:00", "--json"},
           front_desk_));
  ASSERT_FALSE(appointment.name().empty());
  const std::string appointment_id = IdOf(appointment.name());

  // The week-before and three-days-before instructions are overdue: sent at once.
  const std::vector<std::string> due_now = {"One week to go: please skip peels and laser",
                                            "Three days to go: time to pause strong skincare"};
  ASSERT_TRUE(Eventually(30, [&] { return Received().size() >= 2; })) << worker->Log();
  for (const std::string& subject : due_now) {
    ASSERT_TRUE(texts.count(subject)) << subject;
    bool found = false;
    for (const Mail& mail : Received()) {
      if (mail.subject != subject) continue;
      found = true;
      EXPECT_EQ(mail.to, kPatientEmail);
      EXPECT_THAT(Words(mail.body), HasSubstr(Words(texts[subject])));
    }
    EXPECT_TRUE(found) << subject;
  }

  // The session: check-in at the desk, completion by the clinician.
  SetTime(absl::FromUnixSeconds(appointment.start_time().seconds()));
  EXPECT_THAT(Must({"appointment", "check-in", appointment_id}, front_desk_),
              HasSubstr("Checked in: "));
  EXPECT_THAT(Must({"appointment", "complete", appointment_id, "--summary=full face",
                    "--needle_depth=1.0"},
                   clinician_),
              HasSubstr("Completed: "));
  std::vector<clinic::v1::Notification> aftercare = Aftercare(appointment_id);
  ASSERT_EQ(aftercare.size(), static_cast<size_t>(microneedling.aftercare_size()));
  for (const auto& n : aftercare) EXPECT_EQ(n.state(), clinic::v1::NOTIFICATION_STATE_PENDING);

  // The first evening's advice, sent now.
  const clinic::v1::Notification& first = aftercare[0];
  Must({"outbox", "send-now", IdOf(first.name())}, front_desk_);
  const std::string first_id = reminder_worker::MessageIdFor(first.dedupe_key());
  ASSERT_TRUE(Eventually(20, [&] { return CountWithId(first_id) == 1; })) << worker->Log();
  for (const Mail& mail : Received()) {
    if (mail.message_id != first_id) continue;
    EXPECT_EQ(mail.subject, first.subject());
    EXPECT_THAT(Words(mail.body), HasSubstr(Words(texts[first.subject()])));
  }
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(15), 0) << worker->Log();

  // The rest sent now too, then a worker killed while it holds their leases.
  std::vector<std::string> rest_ids;
  for (size_t i = 1; i < aftercare.size(); ++i) {
    Must({"outbox", "send-now", IdOf(aftercare[i].name())}, front_desk_);
    rest_ids.push_back(reminder_worker::MessageIdFor(aftercare[i].dedupe_key()));
  }
  const size_t before = Received().size();
  auto doomed = StartWorker("worker-doomed", "4s");
  ASSERT_TRUE(doomed->WaitForLog(absl::StrCat("claimed ", rest_ids.size(), " notifications"), 20))
      << doomed->Log();
  doomed->Signal(SIGKILL);
  EXPECT_EQ(doomed->Wait(10), 128 + SIGKILL);
  EXPECT_LT(Received().size(), before + rest_ids.size()) << "killed too late to hold leases";

  // A second worker delivers them once the leases have run out: none lost;
  // one the killed worker had handed to the relay may come twice, with the
  // same Message-ID.
  Advance(absl::Seconds(5));  // The killed worker's 4 s leases run out.
  auto second = StartWorker("worker-2", "4s");
  ASSERT_TRUE(Eventually(60, [&] {
    for (const std::string& id : rest_ids) {
      if (CountWithId(id) == 0) return false;
    }
    return true;
  })) << second->Log();
  second->Signal(SIGTERM);
  EXPECT_EQ(second->Wait(20), 0) << second->Log();
  for (const std::string& id : rest_ids) {
    EXPECT_GE(CountWithId(id), 1) << id;
    EXPECT_LE(CountWithId(id), 2) << id;
  }
  EXPECT_EQ(CountWithId(first_id), 1);
  for (const auto& n : Aftercare(appointment_id)) {
    EXPECT_EQ(n.state(), clinic::v1::NOTIFICATION_STATE_DELIVERED) << n.name();
  }
  EXPECT_EQ(server_.Stop(), 0) << server_.Log();
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
