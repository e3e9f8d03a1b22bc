// A course followed over months with the real binaries and the test clock:
// clinicctl for everything the front desk and the clinician do, clinicd
// standing at each moment of care in turn, and a real reminder worker
// delivering to an aiosmtpd sink. Two patients go from consultation through
// a three-session course (one misses a session and the rest is re-planned);
// their maintenance recalls become DUE, the six-month notice reaches the
// sink only once its local time has come, one patient's maintenance visit
// satisfies hers, and the other's lapses after twelve months.

#include <google/protobuf/util/json_util.h>

#include <csignal>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/follow_up_service.grpc.pb.h"
#include "clinic/v1/notification_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/journey_fixture.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kDueSubject[] = "It's time for your maintenance session";

const absl::TimeZone& Berlin() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    absl::LoadTimeZone("Europe/Berlin", z);
    return z;
  }();
  return *zone;
}

absl::Time At(absl::CivilDay day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(day) + 60 * hour + minute, Berlin());
}

// "2027-03-15 10:00", as clinicctl --at takes it.
std::string Local(absl::Time time) { return absl::FormatTime("%Y-%m-%d %H:%M", time, Berlin()); }

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

class CourseOverMonthsTest : public JourneyFixture {
 protected:
  // Registers, signs and screens a patient reachable by e-mail.
  std::string Register(const std::string& given, const std::string& email) {
    const auto patient = FromJson<clinic::v1::Patient>(
        Must({"patient", "register", "--given=" + given, "--family=Lang",
              "--email=" + email, "--opt_in=email", "--json"},
             front_desk_));
    Must({"consent", "sign", given + " Lang", "--treatment=microneedling", "--shown"},
         front_desk_);
    Must({"screening", "submit", given + " Lang", "--treatment=microneedling"}, front_desk_);
    return patient.name();
  }

  clinic::v1::Appointment Book(const std::string& patient, absl::Time at,
                               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"appointment", "book", "--patient=" + IdOf(patient),
                                     "--at=" + Local(at), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return FromJson<clinic::v1::Appointment>(Must(args, front_desk_));
  }

  // On the day of `session`: screened again, checked in and completed.
  void Treat(const clinic::v1::Appointment& session) {
    SetTime(FromProto(session.start_time()));
    Must({"screening", "submit", IdOf(session.patient()), "--treatment=microneedling"},
         front_desk_);
    Must({"appointment", "check-in", IdOf(session.name())}, front_desk_);
    Must({"appointment", "complete", IdOf(session.name()), "--summary=full face",
          "--needle_depth=1.0"},
         clinician_);
  }

  std::vector<clinic::v1::Recall> Recalls(clinic::v1::RecallView view) {
    auto follow_up = clinic::v1::FollowUpService::NewStub(server_.channel());
    clinic::v1::ListRecallsRequest request;
    request.set_parent("clinics/" + clinic_);
    request.set_view(view);
    clinic::v1::ListRecallsResponse response;
    const grpc::Status status = follow_up->ListRecalls(
        clinicd::testing::AuthedContext(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.recalls().begin(), response.recalls().end()};
  }

  clinic::v1::Recall RecallOf(const std::string& patient) {
    for (const auto& recall : Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED)) {
      if (recall.patient() == patient) return recall;
    }
    ADD_FAILURE() << "no recall for " << patient;
    return {};
  }

  int MailsTo(const std::string& address, const std::string& subject) const {
    int count = 0;
    for (const Mail& mail : Received()) count += mail.to == address && mail.subject == subject;
    return count;
  }
};

TEST_F(CourseOverMonthsTest, FromConsultationThroughACourseToRecallsSatisfiedAndLapsed) {
  CreateClinic("Praxis am Park", "--quiet_hours=21:00-08:00");
  ASSERT_FALSE(clinic_.empty());
  Must({"practitioner", "create", "--name=Dr. Lena Wolf", "--treatments=microneedling",
        "--hours=mon-sun 08:00-18:00"},
       admin_);
  Must({"room", "create", "--name=Room 1", "--capabilities=microneedling_device,sink"}, admin_);
  const std::string anna = Register("Anna", "anna@example.org");
  const std::string berta = Register("Berta", "berta@example.org");
  auto worker = StartWorker("worker-1", "30s");

  // Consultations tomorrow morning; both are suitable for a melasma course.
  const absl::CivilDay tomorrow = absl::ToCivilDay(Now(), Berlin()) + 1;
  const auto anna_visit = Book(anna, At(tomorrow, 9), {"--consultation"});
  const auto berta_visit = Book(berta, At(tomorrow, 9, 30), {"--consultation"});
  for (const auto& visit : {anna_visit, berta_visit}) {
    SetTime(FromProto(visit.start_time()));
    Must({"appointment", "check-in", IdOf(visit.name())}, front_desk_);
    Must({"consultation", "record", IdOf(visit.name()), "--suitable", "--indication=melasma"},
         clinician_);
  }
  // Courses planned from what the consultations recorded.
  const auto anna_course = FromJson<clinic::v1::Series>(
      Must({"series", "create", "--patient=" + IdOf(anna), "--json"}, front_desk_));
  const auto berta_course = FromJson<clinic::v1::Series>(
      Must({"series", "create", "--patient=" + IdOf(berta), "--json"}, front_desk_));
  EXPECT_EQ(anna_course.indication(), "melasma");
  ASSERT_EQ(anna_course.planned_sessions(), 3);

  // Session 1 for both, three days on.
  const absl::CivilDay d0 = tomorrow + 2;
  const std::string anna_series = "--series=" + IdOf(anna_course.name());
  const std::string berta_series = "--series=" + IdOf(berta_course.name());
  Treat(Book(anna, At(d0, 10), {anna_series}));
  Treat(Book(berta, At(d0, 11, 30), {berta_series}));

  // Session 2 four weeks on: Anna misses hers and it is re-planned a week later.
  const auto anna_missed = Book(anna, At(d0 + 28, 10), {anna_series});
  const auto berta_second = Book(berta, At(d0 + 28, 11, 30), {berta_series});
  SetTime(FromProto(anna_missed.end_time()) + absl::Minutes(5));
  Must({"appointment", "no-show", IdOf(anna_missed.name())}, front_desk_);
  Treat(berta_second);
  Treat(Book(anna, At(d0 + 35, 10), {anna_series}));

  // Session 3: the course completes and a recall is planned for each.
  const auto berta_third = Book(berta, At(d0 + 56, 11, 30), {berta_series});
  const auto anna_third = Book(anna, At(d0 + 63, 10), {anna_series});
  Treat(berta_third);
  Treat(anna_third);
  const clinic::v1::Recall anna_recall = RecallOf(anna);
  const clinic::v1::Recall berta_recall = RecallOf(berta);
  EXPECT_EQ(anna_recall.state(), clinic::v1::RECALL_STATE_UPCOMING);
  const absl::Time due = FromProto(anna_recall.due_time());
  // Six calendar months after the last session, at its local time.
  EXPECT_EQ(absl::FormatTime("%H:%M", due, Berlin()), "10:00");
  EXPECT_EQ(absl::ToCivilMonth(due, Berlin()), absl::CivilMonth(d0 + 63) + 6);

  // A minute before it is due nothing has gone out; at its time the notice
  // reaches the sink, and the recall is DUE.
  SetTime(due - absl::Minutes(1));
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(MailsTo("anna@example.org", kDueSubject), 0) << worker->Log();
  SetTime(due);
  ASSERT_TRUE(Eventually(30, [&] { return MailsTo("anna@example.org", kDueSubject) == 1; }))
      << worker->Log();
  EXPECT_EQ(RecallOf(anna).state(), clinic::v1::RECALL_STATE_DUE);
  EXPECT_THAT(Must({"recall", "list", "--view=due"}, front_desk_), HasSubstr("Anna Lang"));

  // Anna's maintenance visit a week later satisfies her recall.
  const absl::CivilDay visit_day = absl::ToCivilDay(due, Berlin()) + 7;
  Book(anna, At(visit_day, 10));
  EXPECT_EQ(RecallOf(anna).state(), clinic::v1::RECALL_STATE_SATISFIED);

  // Berta books nothing: her final notice goes out, then the recall lapses.
  const absl::Time lapse = FromProto(berta_recall.lapse_time());
  SetTime(lapse);
  ASSERT_TRUE(Eventually(30, [&] {
    return MailsTo("berta@example.org", "Last reminder: book your maintenance session soon") == 1;
  })) << worker->Log();
  EXPECT_EQ(RecallOf(berta).state(), clinic::v1::RECALL_STATE_LAPSED);
  EXPECT_THAT(Must({"recall", "list", "--view=lapsed"}, front_desk_), HasSubstr("Berta Lang"));
  EXPECT_EQ(MailsTo("anna@example.org", "Last reminder: book your maintenance session soon"), 0)
      << "a satisfied recall sends no more notices";

  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(15), 0) << worker->Log();
  EXPECT_EQ(server_.Stop(), 0) << server_.Log();
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
