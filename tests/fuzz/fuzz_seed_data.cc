#include "tests/fuzz/fuzz_seed_data.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_split.h"
#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"

namespace clinicd::fuzz {
namespace {

// The id of a resource name: its last segment.
std::string IdOf(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  return parts.back();
}

void MustBeOk(const grpc::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz harness: seeding %s failed: %s\n", what,
               status.error_message().c_str());
  std::abort();
}

google::type::TimeOfDay TimeOfDay(int hours, int minutes) {
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

}  // namespace

std::unique_ptr<grpc::ClientContext> ContextWithKey(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return context;
}

SeededIds SeedClinic(const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_key) {
  auto practice = clinic::v1::PracticeService::NewStub(channel);
  auto patients = clinic::v1::PatientService::NewStub(channel);
  SeededIds ids;

  clinic::v1::CreateClinicRequest clinic_request;
  clinic_request.mutable_clinic()->set_display_name("Fuzz Clinic");
  clinic_request.mutable_clinic()->set_time_zone("Europe/Berlin");
  clinic_request.mutable_clinic()->set_region_code("DE");
  clinic::v1::Clinic clinic;
  MustBeOk(practice->CreateClinic(ContextWithKey(admin_key).get(), clinic_request, &clinic),
           "clinic");
  ids.clinic = IdOf(clinic.name());

  clinic::v1::CreatePractitionerRequest practitioner_request;
  practitioner_request.set_parent(clinic.name());
  clinic::v1::Practitioner* practitioner = practitioner_request.mutable_practitioner();
  practitioner->set_display_name("Dr. Fuzz");
  practitioner->set_active(true);
  practitioner->add_treatment_types("treatmentTypes/microneedling");
  for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
    clinic::v1::WorkingInterval* hours = practitioner->add_working_hours();
    hours->set_day(static_cast<google::type::DayOfWeek>(day));
    *hours->mutable_start_time() = TimeOfDay(0, 0);
    *hours->mutable_end_time() = TimeOfDay(23, 59);
  }
  clinic::v1::Practitioner created_practitioner;
  MustBeOk(practice->CreatePractitioner(ContextWithKey(admin_key).get(), practitioner_request,
                                        &created_practitioner),
           "practitioner");
  ids.practitioner = IdOf(created_practitioner.name());

  clinic::v1::CreateRoomRequest room_request;
  room_request.set_parent(clinic.name());
  room_request.mutable_room()->set_display_name("Room 1");
  room_request.mutable_room()->set_active(true);
  room_request.mutable_room()->add_capabilities("microneedling_device");
  room_request.mutable_room()->add_capabilities("sink");
  clinic::v1::Room room;
  MustBeOk(practice->CreateRoom(ContextWithKey(admin_key).get(), room_request, &room), "room");
  ids.room = IdOf(room.name());

  clinic::v1::CreatePatientRequest patient_request;
  patient_request.set_parent(clinic.name());
  patient_request.mutable_patient()->set_given_name("Anna");
  patient_request.mutable_patient()->set_family_name("Schmidt");
  clinic::v1::Patient patient;
  MustBeOk(patients->CreatePatient(ContextWithKey(admin_key).get(), patient_request, &patient),
           "patient");
  ids.patient = IdOf(patient.name());
  return ids;
}

}  // namespace clinicd::fuzz
