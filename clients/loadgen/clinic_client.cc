#include "clients/loadgen/clinic_client.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace clinicd::loadgen {

std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

ClinicClient::ClinicClient(std::shared_ptr<grpc::Channel> channel, std::string key, uint64_t seed)
    : key_(std::move(key)),
      practice_(clinic::v1::PracticeService::NewStub(channel)),
      patients_(clinic::v1::PatientService::NewStub(channel)),
      booking_(clinic::v1::BookingService::NewStub(channel)),
      consent_(clinic::v1::ConsentService::NewStub(channel)),
      catalog_(clinic::v1::TreatmentCatalogService::NewStub(channel)),
      rng_(seed) {}

std::unique_ptr<grpc::ClientContext> ClinicClient::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + key_);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::string ClinicClient::NewRequestId() {
  const uint64_t high = (rng_() & ~uint64_t{0xF000}) | uint64_t{0x4000};
  const uint64_t low = (rng_() & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  char text[37];
  std::snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

grpc::Status ClinicClient::CreateClinic(const std::string& display_name, clinic::v1::Clinic* clinic,
                                        absl::Duration booking_horizon) {
  clinic::v1::CreateClinicRequest request;
  request.mutable_clinic()->set_display_name(display_name);
  request.mutable_clinic()->set_time_zone("Europe/Berlin");
  request.mutable_clinic()->set_region_code("DE");
  request.mutable_clinic()->add_address_lines("Friedrichstraße 123");
  request.mutable_clinic()->add_address_lines("10117 Berlin");
  request.mutable_clinic()->set_phone_number("030 23456789");
  if (booking_horizon > absl::ZeroDuration()) {
    request.mutable_clinic()->mutable_policy()->mutable_booking_horizon()->set_seconds(
        absl::ToInt64Seconds(booking_horizon));
  }
  request.set_request_id(NewRequestId());
  return practice_->CreateClinic(Context().get(), request, clinic);
}

grpc::Status ClinicClient::GetClinic(const std::string& name) {
  clinic::v1::GetClinicRequest request;
  request.set_name(name);
  clinic::v1::Clinic clinic;
  return practice_->GetClinic(Context().get(), request, &clinic);
}

grpc::Status ClinicClient::CreatePatient(const std::string& parent,
                                         const clinic::v1::Patient& patient,
                                         clinic::v1::Patient* created) {
  clinic::v1::CreatePatientRequest request;
  request.set_parent(parent);
  *request.mutable_patient() = patient;
  request.set_request_id(NewRequestId());
  return patients_->CreatePatient(Context().get(), request, created);
}

grpc::Status ClinicClient::GetPatient(const std::string& name) {
  clinic::v1::GetPatientRequest request;
  request.set_name(name);
  clinic::v1::Patient patient;
  return patients_->GetPatient(Context().get(), request, &patient);
}

grpc::Status ClinicClient::SearchPatients(const std::string& parent, const std::string& query,
                                          int32_t page_size) {
  clinic::v1::SearchPatientsRequest request;
  request.set_parent(parent);
  request.set_query(query);
  request.set_page_size(page_size);
  clinic::v1::SearchPatientsResponse response;
  return patients_->SearchPatients(Context().get(), request, &response);
}

grpc::Status ClinicClient::ListPatients(const std::string& parent, int32_t page_size,
                                        std::string* page_token) {
  clinic::v1::ListPatientsRequest request;
  request.set_parent(parent);
  request.set_page_size(page_size);
  request.set_page_token(*page_token);
  clinic::v1::ListPatientsResponse response;
  grpc::Status status = patients_->ListPatients(Context().get(), request, &response);
  *page_token = status.ok() ? response.next_page_token() : "";
  return status;
}

}  // namespace clinicd::loadgen
