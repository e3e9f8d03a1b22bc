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
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/journey_fixture.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::testing::HasSubstr;

// The relay takes two seconds over mail to slow@..., so that a worker still
// holds leases when it is killed.
constexpr char kPatientEmail[] = "slow@example.org";

class JourneyTest : public JourneyFixture {
 protected:
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
  CreateClinic("Haut & Licht Berlin");
  ASSERT_FALSE(clinic_.empty());
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

  // The consultation microneedling asks for before a first session, booked
  // for tomorrow morning; the clinician records it on the day.
  const auto consultation = FromJson<clinic::v1::Appointment>(
      Must({"appointment", "book", "--patient=Anna Schmidt", "--consultation", "--at=+1 09:00",
            "--json"},
           front_desk_));
  ASSERT_EQ(consultation.kind(), clinic::v1::VISIT_KIND_CONSULTATION);

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
  ASSERT_TRUE(Eventually(30, [&] {
    int found = 0;
    for (const Mail& mail : Received()) found += mail.subject == due_now[0] || mail.subject == due_now[1];
    return found >= 2;
  })) << worker->Log();
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

  // The consultation, on the day: the patient is suitable.
  SetTime(absl::FromUnixSeconds(consultation.start_time().seconds()));
  const ProgramResult too_soon = Ctl({"appointment", "check-in", appointment_id}, front_desk_);
  EXPECT_EQ(too_soon.exit_code, 1) << too_soon.err;
  EXPECT_THAT(too_soon.err, HasSubstr("TOO_EARLY"));
  Must({"appointment", "check-in", IdOf(consultation.name())}, front_desk_);
  EXPECT_THAT(Must({"consultation", "record", IdOf(consultation.name()), "--suitable",
                    "--indication=acne_scars", "--needle_depth=1.0"},
                   clinician_),
              HasSubstr("Outcome: "));

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
