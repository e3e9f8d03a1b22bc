#include "tests/integration/course_test_base.h"

#include "absl/time/clock.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {

using clinic::v1::Appointment;
using plugins::test_time::InBerlin;
using plugins::test_time::MondayAtLeastDaysAhead;
using plugins::test_time::ToProto;

void CourseTest::SetUp() {
  // The server's clock stands at the time the test starts and moves only
  // when a test moves it (to a session's start to check it in, months on to
  // a recall), so what happens at each time is exact.
  UseTestClock(absl::Now());
  RpcTest::SetUp();
  if (HasFatalFailure()) return;
  booking_ = clinic::v1::BookingService::NewStub(server_.channel());
  follow_up_ = clinic::v1::FollowUpService::NewStub(server_.channel());
  notifications_ = clinic::v1::NotificationService::NewStub(server_.channel());

  clinic::v1::CreateClinicRequest create;
  create.mutable_clinic()->set_display_name("Hautzentrum Mitte");
  create.mutable_clinic()->set_time_zone("Europe/Berlin");
  create.mutable_clinic()->set_region_code("DE");
  create.mutable_clinic()->set_email("empfang@hautzentrum.example");
  create.mutable_clinic()->set_phone_number("030 1234567");
  create.mutable_clinic()->add_address_lines("Torstraße 1, 10119 Berlin");
  clinic::v1::ClinicPolicy* policy = create.mutable_clinic()->mutable_policy();
  policy->mutable_quiet_hours_start()->set_hours(21);
  policy->mutable_quiet_hours_end()->set_hours(8);
  grpc::Status status = practice_->CreateClinic(AuthedContext(admin_key_).get(), create, &clinic_);
  ASSERT_TRUE(status.ok()) << status.error_message();

  room_ = MakeRoom(clinic_.name(), "Room 1", {"microneedling_device", "sink"});
  practitioner_ = MakePractitioner(clinic_.name(), "Dr. Weber", {kMicroneedling});
  patient_ = MakeReachablePatient("Anna", "Schmidt");
  ClearForMicroneedling(patient_.name());
  screened_[patient_.name()] = Now();
  monday_ = MondayAtLeastDaysAhead(14);
}

clinic::v1::Patient CourseTest::MakeReachablePatient(
    const std::string& given, const std::string& family,
    const std::vector<clinic::v1::NotificationChannel>& channels) {
  clinic::v1::CreatePatientRequest request;
  request.set_parent(clinic_.name());
  clinic::v1::Patient* patient = request.mutable_patient();
  patient->set_given_name(given);
  patient->set_family_name(family);
  patient->set_email(given + "." + family + "@example.org");
  patient->set_phone_number("0151 23456789");
  for (clinic::v1::NotificationChannel channel : channels) {
    clinic::v1::ChannelConsent* consent = patient->add_channel_consents();
    consent->set_channel(channel);
    consent->set_opted_in(true);
  }
  clinic::v1::Patient created;
  grpc::Status status = patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  if (status.ok() && uses_test_clock_) ConsultForMicroneedling(created.name());
  return created;
}

grpc::Status CourseTest::CreateSeries(const clinic::v1::Series& series, clinic::v1::Series* out) {
  clinic::v1::CreateSeriesRequest request;
  request.set_parent(clinic_.name());
  *request.mutable_series() = series;
  return follow_up_->CreateSeries(AuthedContext(admin_key_).get(), request, out);
}

clinic::v1::Series CourseTest::MustCreateSeries(const std::string& indication,
                                                int planned_sessions,
                                                const std::string& patient) {
  clinic::v1::Series series;
  series.set_patient(patient.empty() ? patient_.name() : patient);
  series.set_treatment_type(kMicroneedling);
  series.set_indication(indication);
  series.set_planned_sessions(planned_sessions);
  clinic::v1::Series out;
  grpc::Status status = CreateSeries(series, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

clinic::v1::Series CourseTest::GetSeries(const std::string& name) {
  clinic::v1::GetSeriesRequest request;
  request.set_name(name);
  clinic::v1::Series out;
  grpc::Status status = follow_up_->GetSeries(AuthedContext(admin_key_).get(), request, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

Appointment CourseTest::Draft(absl::Time start, const std::string& series,
                              const std::string& patient) const {
  Appointment appointment;
  appointment.set_patient(patient.empty() ? patient_.name() : patient);
  appointment.set_treatment_type(kMicroneedling);
  appointment.set_practitioner(practitioner_.name());
  appointment.set_room(room_.name());
  *appointment.mutable_start_time() = ToProto(start);
  appointment.set_series(series);
  return appointment;
}

grpc::Status CourseTest::Book(const Appointment& draft, Appointment* out) {
  clinic::v1::CreateAppointmentRequest request;
  request.set_parent(clinic_.name());
  *request.mutable_appointment() = draft;
  return booking_->CreateAppointment(AuthedContext(admin_key_).get(), request, out);
}

Appointment CourseTest::MustBook(const Appointment& draft) {
  Appointment out;
  grpc::Status status = Book(draft, &out);
  EXPECT_TRUE(status.ok()) << InBerlin(draft.start_time()) << ": " << status.error_message();
  return out;
}

grpc::Status CourseTest::Reschedule(const Appointment& current, absl::Time start,
                                    Appointment* out) {
  clinic::v1::RescheduleAppointmentRequest request;
  *request.mutable_appointment() = current;
  *request.mutable_appointment()->mutable_start_time() = ToProto(start);
  request.mutable_update_mask()->add_paths("start_time");
  return booking_->RescheduleAppointment(AuthedContext(admin_key_).get(), request, out);
}

grpc::Status CourseTest::Cancel(const std::string& name, Appointment* out) {
  clinic::v1::CancelAppointmentRequest request;
  request.set_name(name);
  request.set_reason("patient called to cancel");
  return booking_->CancelAppointment(AuthedContext(admin_key_).get(), request, out);
}

Appointment CourseTest::MustCheckInAndComplete(const std::string& name) {
  clinic::v1::GetAppointmentRequest get;
  get.set_name(name);
  Appointment out;
  grpc::Status status = booking_->GetAppointment(AuthedContext(admin_key_).get(), get, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  const absl::Time start = absl::FromUnixSeconds(out.start_time().seconds());
  if (Now() < start) SetTime(start);
  // On the day, as a clinic does: screened again when the last screening no
  // longer counts for the session.
  auto screened = screened_.find(out.patient());
  if (screened == screened_.end() || start - screened->second > absl::Hours(24 * 29)) {
    ScreenForMicroneedling(out.patient());
    screened_[out.patient()] = Now();
  }
  clinic::v1::CheckInAppointmentRequest check_in;
  check_in.set_name(name);
  status = booking_->CheckInAppointment(AuthedContext(admin_key_).get(), check_in, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  clinic::v1::CompleteAppointmentRequest complete;
  complete.set_name(name);
  complete.mutable_session_record()->set_summary("full face");
  complete.mutable_session_record()->set_needle_depth_mm(1.0);
  status = booking_->CompleteAppointment(AuthedContext(admin_key_).get(), complete, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

std::vector<clinic::v1::Notification> CourseTest::Outbox(
    const std::string& resource, const std::vector<clinic::v1::NotificationState>& states) {
  std::vector<clinic::v1::Notification> all;
  clinic::v1::ListNotificationsRequest request;
  request.set_parent(clinic_.name());
  request.set_resource(resource);
  for (clinic::v1::NotificationState state : states) request.add_states(state);
  request.set_page_size(500);
  do {
    clinic::v1::ListNotificationsResponse page;
    grpc::Status status =
        notifications_->ListNotifications(AuthedContext(admin_key_).get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), page.notifications().begin(), page.notifications().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

std::vector<clinic::v1::Recall> CourseTest::Recalls(clinic::v1::RecallView view) {
  clinic::v1::ListRecallsRequest request;
  request.set_parent(clinic_.name());
  request.set_view(view);
  clinic::v1::ListRecallsResponse response;
  grpc::Status status = follow_up_->ListRecalls(AuthedContext(admin_key_).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.recalls().begin(), response.recalls().end()};
}

}  // namespace clinicd::testing
