#include "tests/integration/rpc_test_base.h"

#include "absl/time/civil_time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "google/rpc/status.pb.h"

namespace clinicd::testing {
namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  details.ParseFromString(status.error_details());
  return details;
}

}  // namespace

std::string ReasonOf(const grpc::Status& status) {
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) {
      EXPECT_EQ(info.domain(), "clinic.v1");
      return info.reason();
    }
  }
  return "";
}

std::map<std::string, std::string> MetadataOf(const grpc::Status& status) {
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return {info.metadata().begin(), info.metadata().end()};
  }
  return {};
}

std::set<std::string> BadFieldsOf(const grpc::Status& status) {
  std::set<std::string> fields;
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        fields.insert(violation.field());
      }
    }
  }
  return fields;
}

void RpcTest::SetUp() {
  // Every server runs with the bundled plugins, as deploy/run.sh serves.
  server_.AddPlugin(ClinicdProcess::BundledPlugin("microneedling"));
  server_.AddPlugin(ClinicdProcess::BundledPlugin("maintenance_recall"));
  admin_key_ = server_.CreateKey("admin");
  ASSERT_FALSE(admin_key_.empty()) << server_.CommandErrors();
  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;
  practice_ = clinic::v1::PracticeService::NewStub(server_.channel());
  patients_ = clinic::v1::PatientService::NewStub(server_.channel());
  test_clock_ = clinicd::test_clock::v1::TestClockService::NewStub(server_.channel());
}

void RpcTest::UseTestClock(absl::Time start) {
  uses_test_clock_ = true;
  server_.UseTestClock(absl::FormatTime(absl::RFC3339_full, start, absl::UTCTimeZone()));
}

absl::Time RpcTest::Now() {
  clinicd::test_clock::v1::TestTime time;
  const grpc::Status status = test_clock_->GetTestTime(
      AuthedContext(admin_key_).get(), clinicd::test_clock::v1::GetTestTimeRequest(), &time);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return absl::FromUnixSeconds(time.time().seconds()) + absl::Nanoseconds(time.time().nanos());
}

void RpcTest::SetTime(absl::Time time) {
  clinicd::test_clock::v1::SetTestTimeRequest request;
  const timespec spec = absl::ToTimespec(time);
  request.mutable_time()->set_seconds(spec.tv_sec);
  request.mutable_time()->set_nanos(static_cast<int32_t>(spec.tv_nsec));
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status =
      test_clock_->SetTestTime(AuthedContext(admin_key_).get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void RpcTest::Advance(absl::Duration step) {
  clinicd::test_clock::v1::AdvanceTestTimeRequest request;
  request.mutable_step()->set_seconds(absl::ToInt64Seconds(step));
  clinicd::test_clock::v1::TestTime reply;
  const grpc::Status status =
      test_clock_->AdvanceTestTime(AuthedContext(admin_key_).get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void RpcTest::TearDown() {
  // With a client connected, graceful shutdown waits for a GOAWAY round
  // trip (about 5 s with gRPC 1.51), well inside the drain grace.
  EXPECT_EQ(server_.Stop(), 0) << server_.Log();
  EXPECT_NE(server_.Log().find("clinicd stopped cleanly"), std::string::npos);
}

clinic::v1::Clinic RpcTest::MakeClinic(const std::string& display_name) {
  clinic::v1::CreateClinicRequest request;
  request.mutable_clinic()->set_display_name(display_name);
  request.mutable_clinic()->set_time_zone("Europe/Berlin");
  request.mutable_clinic()->set_region_code("DE");
  clinic::v1::Clinic clinic;
  grpc::Status status =
      practice_->CreateClinic(AuthedContext(admin_key_).get(), request, &clinic);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return clinic;
}

clinic::v1::Patient RpcTest::MakePatient(const std::string& clinic,
                                         const std::string& given,
                                         const std::string& family,
                                         const std::string& phone, bool consulted) {
  clinic::v1::CreatePatientRequest request;
  request.set_parent(clinic);
  request.mutable_patient()->set_given_name(given);
  request.mutable_patient()->set_family_name(family);
  request.mutable_patient()->set_phone_number(phone);
  clinic::v1::Patient patient;
  grpc::Status status =
      patients_->CreatePatient(AuthedContext(admin_key_).get(), request, &patient);
  EXPECT_TRUE(status.ok()) << status.error_message();
  if (status.ok() && consulted && uses_test_clock_) ConsultForMicroneedling(patient.name());
  return patient;
}

clinic::v1::Room RpcTest::MakeRoom(const std::string& clinic, const std::string& display_name,
                                   const std::vector<std::string>& capabilities) {
  clinic::v1::CreateRoomRequest request;
  request.set_parent(clinic);
  request.mutable_room()->set_display_name(display_name);
  request.mutable_room()->set_active(true);
  for (const std::string& capability : capabilities) {
    request.mutable_room()->add_capabilities(capability);
  }
  clinic::v1::Room room;
  grpc::Status status = practice_->CreateRoom(AuthedContext(admin_key_).get(), request, &room);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return room;
}

namespace {

// A CreatePractitionerRequest for an active practitioner in `clinic`
// qualified for `treatment_types`, working `start`-`end` on each of `days`.
clinic::v1::CreatePractitionerRequest PractitionerRequest(
    const std::string& clinic, const std::string& display_name,
    const std::vector<std::string>& treatment_types,
    const std::vector<google::type::DayOfWeek>& days, const google::type::TimeOfDay& start,
    const google::type::TimeOfDay& end) {
  clinic::v1::CreatePractitionerRequest request;
  request.set_parent(clinic);
  clinic::v1::Practitioner* practitioner = request.mutable_practitioner();
  practitioner->set_display_name(display_name);
  practitioner->set_active(true);
  for (const std::string& type : treatment_types) practitioner->add_treatment_types(type);
  for (google::type::DayOfWeek day : days) {
    clinic::v1::WorkingInterval* hours = practitioner->add_working_hours();
    hours->set_day(day);
    *hours->mutable_start_time() = start;
    *hours->mutable_end_time() = end;
  }
  return request;
}

google::type::TimeOfDay TimeOfDay(int hours, int minutes = 0) {
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

}  // namespace

clinic::v1::Practitioner RpcTest::MakePractitioner(
    const std::string& clinic, const std::string& display_name,
    const std::vector<std::string>& treatment_types, int start_hour, int end_hour) {
  const clinic::v1::CreatePractitionerRequest request = PractitionerRequest(
      clinic, display_name, treatment_types,
      {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY,
       google::type::THURSDAY, google::type::FRIDAY},
      TimeOfDay(start_hour), TimeOfDay(end_hour));
  clinic::v1::Practitioner created;
  grpc::Status status =
      practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

clinic::v1::Practitioner RpcTest::MakeAroundTheClockPractitioner(
    const std::string& clinic, const std::string& display_name) {
  std::vector<google::type::DayOfWeek> every_day;
  for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
    every_day.push_back(static_cast<google::type::DayOfWeek>(day));
  }
  const clinic::v1::CreatePractitionerRequest request =
      PractitionerRequest(clinic, display_name, {"treatmentTypes/microneedling"}, every_day,
                          TimeOfDay(0), TimeOfDay(23, 59));
  clinic::v1::Practitioner created;
  grpc::Status status =
      practice_->CreatePractitioner(AuthedContext(admin_key_).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

void RpcTest::ClearForMicroneedling(const std::string& patient, bool consult) {
  auto consent = clinic::v1::ConsentService::NewStub(server_.channel());
  clinic::v1::GetConsentFormRequest form_request;
  form_request.set_treatment_type("treatmentTypes/microneedling");
  clinic::v1::ConsentForm form;
  grpc::Status status =
      consent->GetConsentForm(AuthedContext(admin_key_).get(), form_request, &form);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clinic::v1::SignConsentRequest sign;
  sign.set_parent(patient);
  sign.mutable_consent()->set_consent_form(form.name());
  sign.mutable_consent()->set_text_sha256(form.text_sha256());
  sign.mutable_consent()->set_signer_kind(clinic::v1::SIGNER_KIND_PATIENT);
  sign.mutable_consent()->set_signer_name("Test Patient");
  sign.mutable_consent()->set_method(clinic::v1::SIGNATURE_METHOD_TYPED_NAME);
  clinic::v1::Consent signed_consent;
  status = consent->SignConsent(AuthedContext(admin_key_).get(), sign, &signed_consent);
  ASSERT_TRUE(status.ok()) << status.error_message();

  ScreenForMicroneedling(patient);
  if (consult && !consulted_.count(patient)) ConsultForMicroneedling(patient);
}

void RpcTest::ConsultForMicroneedling(const std::string& patient) {
  const std::string clinic = patient.substr(0, patient.find("/patients/"));
  Consultant& consultant = consultants_[clinic];
  auto set_active = [&](bool active) {
    clinic::v1::UpdatePractitionerRequest update;
    *update.mutable_practitioner() = consultant.practitioner;
    update.mutable_practitioner()->clear_etag();
    update.mutable_practitioner()->set_active(active);
    update.mutable_update_mask()->add_paths("active");
    const grpc::Status status = practice_->UpdatePractitioner(AuthedContext(admin_key_).get(),
                                                              update, &consultant.practitioner);
    ASSERT_TRUE(status.ok()) << status.error_message();
  };
  if (consultant.practitioner.name().empty()) {
    consultant.practitioner = MakeAroundTheClockPractitioner(clinic, "Dr. Beratung");
    clinic::v1::ListRoomsRequest list;
    list.set_parent(clinic);
    clinic::v1::ListRoomsResponse rooms;
    ASSERT_TRUE(practice_->ListRooms(AuthedContext(admin_key_).get(), list, &rooms).ok());
    for (const clinic::v1::Room& room : rooms.rooms()) {
      if (room.active()) consultant.room = room.name();
    }
    if (consultant.room.empty()) consultant.room = MakeRoom(clinic, "Beratungszimmer", {}).name();
  } else {
    set_active(true);
  }
  // Now, unless the half hour would run past the practitioner's day.
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  absl::Time start = Now();
  if (absl::ToCivilDay(start + absl::Minutes(31), berlin) != absl::ToCivilDay(start, berlin)) {
    SetTime(absl::FromCivil(absl::ToCivilDay(start, berlin) + 1, berlin));
    start = Now();
  }
  auto booking = clinic::v1::BookingService::NewStub(server_.channel());
  clinic::v1::CreateAppointmentRequest book;
  book.set_parent(clinic);
  clinic::v1::Appointment* visit = book.mutable_appointment();
  visit->set_patient(patient);
  visit->set_treatment_type("treatmentTypes/microneedling");
  visit->set_kind(clinic::v1::VISIT_KIND_CONSULTATION);
  visit->set_practitioner(consultant.practitioner.name());
  visit->set_room(consultant.room);
  const timespec spec = absl::ToTimespec(start);
  visit->mutable_start_time()->set_seconds(spec.tv_sec);
  visit->mutable_start_time()->set_nanos(static_cast<int32_t>(spec.tv_nsec));
  clinic::v1::Appointment booked;
  grpc::Status status = booking->CreateAppointment(AuthedContext(admin_key_).get(), book, &booked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clinic::v1::CheckInAppointmentRequest check_in;
  check_in.set_name(booked.name());
  status = booking->CheckInAppointment(AuthedContext(admin_key_).get(), check_in, &booked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clinic::v1::RecordConsultationOutcomeRequest record;
  record.set_name(booked.name());
  record.mutable_outcome()->set_suitable(true);
  record.mutable_outcome()->set_indication("melasma");
  record.mutable_outcome()->set_planned_needle_depth_mm(1.0);
  status = booking->RecordConsultationOutcome(AuthedContext(admin_key_).get(), record, &booked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  set_active(false);
  consulted_[patient] = booked.name();
}

void RpcTest::ScreenForMicroneedling(const std::string& patient,
                                     const std::map<std::string, absl::Time>& last_times) {
  auto consent = clinic::v1::ConsentService::NewStub(server_.channel());
  auto catalog = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
  clinic::v1::GetTreatmentTypeRequest type_request;
  type_request.set_name("treatmentTypes/microneedling");
  clinic::v1::TreatmentType type;
  ASSERT_TRUE(catalog->GetTreatmentType(AuthedContext(admin_key_).get(), type_request, &type).ok());
  clinic::v1::SubmitScreeningRequest screening;
  screening.set_parent(patient);
  screening.mutable_screening()->set_treatment_type(type.name());
  // Every question answered: no times (never), no to yes/no questions.
  for (const auto& question : type.screening_questions()) {
    clinic::v1::ScreeningAnswer* answer = screening.mutable_screening()->add_answers();
    answer->set_question_id(question.id());
    if (auto it = last_times.find(question.id()); it != last_times.end()) {
      const timespec spec = absl::ToTimespec(it->second);
      answer->mutable_time()->set_seconds(spec.tv_sec);
    }
  }
  clinic::v1::Screening submitted;
  const grpc::Status status =
      consent->SubmitScreening(AuthedContext(admin_key_).get(), screening, &submitted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  if (last_times.empty()) {
    ASSERT_EQ(submitted.outcome(), clinic::v1::SCREENING_OUTCOME_CLEARED);
  }
}

}  // namespace clinicd::testing
