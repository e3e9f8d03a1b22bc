// clinicctl, the binary, for the day's work: slots, booking, the day book,
// check-in (refused with what to do, or done), completion, moving and
// cancelling; each result checked over gRPC.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clinicctl/ctl_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::clinicctl::testing {
namespace {

using ::clinicd::plugins::test_time::At;
using ::clinicd::plugins::test_time::Berlin;
using ::clinicd::plugins::test_time::FromProto;
using ::clinicd::testing::AuthedContext;
using ::clinicd::testing::kMicroneedling;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// The line of `text` that contains `needle` ("" when none).
std::string LineWith(const std::string& text, const std::string& needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  return "";
}

// The zone abbreviation in Berlin at `time`, e.g. "CET".
std::string Abbreviation(absl::Time time) { return absl::FormatTime("%Z", time, Berlin()); }

using AppointmentTest = ClinicctlTest;

TEST_F(AppointmentTest, FindsSlotsBooksByNameAndShowsItInTheDayBook) {
  const std::string day = DayText(monday_);
  const ProgramResult slots =
      Ctl({"slots", "--from=" + day, "--to=" + day, "--patient=" + IdOf(patient_.name())});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_THAT(slots.out, HasSubstr("Free Microneedling slots at Hautzentrum Mitte"));
  EXPECT_THAT(LineWith(slots.out, "09:00-10:00"),
              AllOf(HasSubstr("Dr. Weber"), HasSubstr("Room 1")));
  EXPECT_THAT(slots.out, HasSubstr("Book one: clinicctl appointment book --patient="));

  // The patient by name, no practitioner or room: the first free pair is taken.
  const ProgramResult booked =
      Ctl({"appointment", "book", "--patient=Anna Schmidt", "--at=" + day + " 10:00"});
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  const std::string zone = Abbreviation(At(monday_, 10));
  EXPECT_THAT(booked.out,
              HasSubstr("Booked: " + absl::FormatTime("%a %Y-%m-%d", At(monday_, 10), Berlin()) +
                        " 10:00-11:00 " + zone));

  const std::vector<clinic::v1::Appointment> appointments = AppointmentsOf(patient_.name());
  ASSERT_EQ(appointments.size(), 1u);
  const clinic::v1::Appointment& appointment = appointments[0];
  EXPECT_EQ(FromProto(appointment.start_time()), At(monday_, 10));
  EXPECT_EQ(appointment.practitioner(), practitioner_.name());
  EXPECT_EQ(appointment.room(), room_.name());
  EXPECT_EQ(appointment.treatment_type(), kMicroneedling);
  EXPECT_EQ(appointment.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_THAT(booked.out, HasSubstr(IdOf(appointment.name())));

  const ProgramResult book = Ctl({"daybook", "--date=" + day});
  ASSERT_EQ(book.exit_code, 0) << book.err;
  EXPECT_THAT(book.out, HasSubstr("Day book of Hautzentrum Mitte for "));
  EXPECT_THAT(LineWith(book.out, IdOf(appointment.name())),
              AllOf(HasSubstr("10:00-11:00"), HasSubstr("Anna Schmidt"), HasSubstr("Microneedling"),
                    HasSubstr("Dr. Weber"), HasSubstr("Room 1"), HasSubstr("booked")));
  EXPECT_THAT(book.out, HasSubstr("1 appointment: 1 booked"));
  // The day before has none.
  EXPECT_THAT(Ctl({"daybook", "--date=" + DayText(monday_ - 1)}).out,
              HasSubstr("No appointments."));
}

TEST_F(AppointmentTest, DayBookKeepsTheWallClockOnTheDayTheClocksChange) {
  // The next change of Berlin's clocks at least two weeks ahead (a Sunday),
  // and a practitioner who works Sundays.
  absl::TimeZone::CivilTransition change;
  ASSERT_TRUE(Berlin().NextTransition(absl::Now() + absl::Hours(24 * 14), &change));
  const absl::CivilDay day(change.from);
  const bool spring = change.to > change.from;
  clinic::v1::CreatePractitionerRequest create;
  create.set_parent(clinic_.name());
  create.mutable_practitioner()->set_display_name("Dr. Sonntag");
  create.mutable_practitioner()->set_active(true);
  create.mutable_practitioner()->add_treatment_types(kMicroneedling);
  clinic::v1::WorkingInterval* hours = create.mutable_practitioner()->add_working_hours();
  hours->set_day(google::type::SUNDAY);
  hours->mutable_start_time()->set_hours(8);
  hours->mutable_end_time()->set_hours(18);
  clinic::v1::Practitioner sunday;
  ASSERT_TRUE(practice_->CreatePractitioner(AuthedContext(admin_key_).get(), create, &sunday).ok());

  // 02:30 that night does not exist (spring) or happens twice (autumn).
  const ProgramResult night =
      Ctl({"appointment", "book", "--patient=Anna Schmidt", "--practitioner=Dr. Sonntag",
           "--at=" + DayText(day) + " 02:30"});
  EXPECT_EQ(night.exit_code, 2) << night.err;
  EXPECT_THAT(night.err, HasSubstr(spring ? "does not exist in Europe/Berlin"
                                          : "happens twice in Europe/Berlin"));

  const ProgramResult booked =
      Ctl({"appointment", "book", "--patient=Anna Schmidt", "--practitioner=dr. sonntag",
           "--at=" + DayText(day) + " 10:00"});
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  const std::vector<clinic::v1::Appointment> appointments = AppointmentsOf(patient_.name());
  ASSERT_EQ(appointments.size(), 1u);
  EXPECT_EQ(FromProto(appointments[0].start_time()), At(day, 10));
  EXPECT_EQ(appointments[0].practitioner(), sunday.name());

  const ProgramResult book = Ctl({"daybook", "--date=" + DayText(day)});
  ASSERT_EQ(book.exit_code, 0) << book.err;
  EXPECT_THAT(book.out, HasSubstr(absl::StrCat("the clocks change today (a ", spring ? 23 : 25,
                                               "-hour day)")));
  EXPECT_THAT(LineWith(book.out, IdOf(appointments[0].name())),
              HasSubstr("10:00-11:00 " + Abbreviation(At(day, 10))));
}

TEST_F(AppointmentTest, CheckInOfAnUnclearedPatientIsRefusedWithWhatToDo) {
  const clinic::v1::Patient jonas = MakeReachablePatient("Jonas", "Keller");
  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 11), "", jonas.name()));

  SetTime(At(monday_, 11));
  const ProgramResult refused = Ctl({"appointment", "check-in", IdOf(appointment.name())});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("appointment check-in refused by clinicd: cannot check in"));
  EXPECT_THAT(refused.err, HasSubstr("CONSENT_REQUIRED: no current consent for microneedling"));
  EXPECT_THAT(refused.err, HasSubstr("clinicctl consent status " + IdOf(jonas.name())));
  EXPECT_THAT(refused.err, HasSubstr("SCREENING_REQUIRED: the patient answers"));
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(GetAppointment(appointment.name()).state(), clinic::v1::APPOINTMENT_STATE_BOOKED);

  const ProgramResult status = Ctl({"consent", "status", "Jonas Keller"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("Jonas Keller, Microneedling at "));
  EXPECT_THAT(status.out, HasSubstr("NOT TREATABLE"));
  EXPECT_THAT(LineWith(status.out, "CONSENT_REQUIRED"), HasSubstr("sign form v"));
  EXPECT_THAT(status.out, HasSubstr("SCREENING_REQUIRED"));
  EXPECT_THAT(status.out, HasSubstr("No Microneedling consent on file."));

  const ProgramResult cleared = Ctl({"consent", "status", IdOf(patient_.name())});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_THAT(cleared.out, HasSubstr(": TREATABLE"));
  EXPECT_THAT(LineWith(cleared.out, "Test Patient (patient)"), HasSubstr("active"));
}

TEST_F(AppointmentTest, ChecksInAndCompletesAClearedPatient) {
  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 10)));
  const std::string id = IdOf(appointment.name());
  const std::string front_desk = server_.CreateKey("front_desk");

  SetTime(At(monday_, 10));
  const ProgramResult checked_in = Ctl({"appointment", "check-in", id}, front_desk);
  ASSERT_EQ(checked_in.exit_code, 0) << checked_in.err;
  EXPECT_THAT(checked_in.out, HasSubstr("Checked in: "));
  EXPECT_THAT(checked_in.out, HasSubstr("(checked in)"));

  // Recording the session is a clinician's.
  const std::vector<std::string> complete = {
      "appointment",         "complete",           id,
      "--summary=full face", "--needle_depth=1.5", "--notes=mild erythema"};
  const ProgramResult denied = Ctl(complete, front_desk);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("(ROLE_NOT_ALLOWED)"));
  EXPECT_THAT(denied.err, HasSubstr("may not call CompleteAppointment; that is a clinician's"));

  const ProgramResult completed = Ctl(complete);
  ASSERT_EQ(completed.exit_code, 0) << completed.err;
  EXPECT_THAT(completed.out, HasSubstr("Completed: "));
  const clinic::v1::Appointment done = GetAppointment(appointment.name());
  EXPECT_EQ(done.state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  EXPECT_EQ(done.session_record().summary(), "full face");
  EXPECT_DOUBLE_EQ(done.session_record().needle_depth_mm(), 1.5);
  EXPECT_EQ(done.session_record().notes(), "mild erythema");

  const ProgramResult shown = Ctl({"appointment", "show", appointment.name()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("full face; 1.5 mm; mild erythema"));
  EXPECT_THAT(shown.out, HasSubstr("completed"));

  // Completing twice is refused with the state it is in.
  const ProgramResult again = Ctl(complete);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("it is COMPLETED now"));
}

TEST_F(AppointmentTest, ReschedulesAndCancels) {
  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 10)));
  const clinic::v1::Patient jonas = MakeReachablePatient("Jonas", "Keller");
  MustBook(Draft(At(monday_, 14), "", jonas.name()));
  const std::string id = IdOf(appointment.name());
  const std::string day = DayText(monday_);

  const ProgramResult moved = Ctl({"appointment", "reschedule", id, "--at=" + day + " 12:00"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_THAT(moved.out, HasSubstr("Moved from "));
  EXPECT_THAT(moved.out, HasSubstr("12:00-13:00"));
  EXPECT_EQ(FromProto(GetAppointment(appointment.name()).start_time()), At(monday_, 12));

  // Onto Jonas's time: the practitioner is busy then.
  const ProgramResult taken = Ctl({"appointment", "reschedule", id, "--at=" + day + " 14:30"});
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_THAT(taken.err, HasSubstr("(SLOT_TAKEN)"));
  EXPECT_THAT(taken.err, HasSubstr("the practitioner is booked " +
                                   absl::FormatTime("%a %Y-%m-%d", At(monday_, 14), Berlin()) +
                                   " 14:00-15:00 " + Abbreviation(At(monday_, 14))));
  EXPECT_THAT(taken.err, HasSubstr("find a free time: clinicctl slots"));
  EXPECT_EQ(FromProto(GetAppointment(appointment.name()).start_time()), At(monday_, 12));

  const ProgramResult no_reason = Ctl({"appointment", "cancel", id});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_THAT(no_reason.err, HasSubstr("appointment cancel needs --reason"));

  const ProgramResult cancelled =
      Ctl({"appointment", "cancel", id, "--reason", "patient called, has a cold"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, HasSubstr("Cancelled: "));
  const clinic::v1::Appointment after = GetAppointment(appointment.name());
  EXPECT_EQ(after.state(), clinic::v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(after.cancel_reason(), "patient called, has a cold");
  EXPECT_THAT(LineWith(Ctl({"daybook", "--date=" + day}).out, id), HasSubstr("cancelled"));
}

TEST_F(AppointmentTest, PatientSearchShowAndTheOutbox) {
  MakeReachablePatient("Anna", "Schneider");
  const ProgramResult search = Ctl({"patient", "search", "anna"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_THAT(LineWith(search.out, IdOf(patient_.name())), HasSubstr("Anna Schmidt"));
  EXPECT_THAT(search.out, HasSubstr("Anna Schneider"));

  // "Anna" alone names two patients.
  const ProgramResult ambiguous = Ctl({"consent", "status", "Anna"});
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_THAT(ambiguous.err, HasSubstr("\"Anna\" matches 2 patients; give one of their ids"));
  EXPECT_THAT(ambiguous.err, HasSubstr(IdOf(patient_.name())));

  const clinic::v1::Appointment appointment = MustBook(Draft(At(monday_, 10)));
  const ProgramResult shown = Ctl({"patient", "show", "anna schmidt"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Messages by:  email, sms"));
  EXPECT_THAT(LineWith(shown.out, IdOf(appointment.name())), HasSubstr("10:00-11:00"));

  // Booking queued the preparation reminders on both channels.
  const ProgramResult outbox = Ctl({"outbox", "list", "--appointment=" + IdOf(appointment.name())});
  ASSERT_EQ(outbox.exit_code, 0) << outbox.err;
  const std::string reminder = LineWith(outbox.out, "appointment reminder");
  EXPECT_THAT(reminder, AllOf(HasSubstr("pending"), Not(HasSubstr("delivered"))));
  EXPECT_THAT(outbox.out, HasSubstr("Anna.Schmidt@example.org"));
  EXPECT_THAT(outbox.out, HasSubstr("sms"));

  // The first one, ahead of its time.
  const std::vector<clinic::v1::Notification> pending =
      Outbox(appointment.name(), {clinic::v1::NOTIFICATION_STATE_PENDING});
  ASSERT_FALSE(pending.empty());
  const ProgramResult sent = Ctl({"outbox", "send-now", IdOf(pending[0].name())});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr("Due now: appointment reminder"));
}

}  // namespace
}  // namespace clinicd::clinicctl::testing
