// ClinicClient's calls for booking treatments: the practice, clearing a
// patient, booking and searching slots.

#include "clients/loadgen/clinic_client.h"

namespace clinicd::loadgen {

grpc::Status ClinicClient::CreatePractitioner(const std::string& parent,
                                              const std::string& display_name,
                                              const std::string& treatment_type,
                                              clinic::v1::Practitioner* created) {
  clinic::v1::CreatePractitionerRequest request;
  request.set_parent(parent);
  clinic::v1::Practitioner* practitioner = request.mutable_practitioner();
  practitioner->set_display_name(display_name);
  practitioner->add_treatment_types(treatment_type);
  practitioner->set_active(true);
  for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
    clinic::v1::WorkingInterval* hours = practitioner->add_working_hours();
    hours->set_day(static_cast<google::type::DayOfWeek>(day));
    hours->mutable_start_time()->set_hours(0);
    hours->mutable_end_time()->set_hours(23);
    hours->mutable_end_time()->set_minutes(59);
  }
  request.set_request_id(NewRequestId());
  return practice_->CreatePractitioner(Context().get(), request, created);
}

grpc::Status ClinicClient::CreateRoom(const std::string& parent, const std::string& display_name,
                                      const std::vector<std::string>& capabilities,
                                      clinic::v1::Room* created) {
  clinic::v1::CreateRoomRequest request;
  request.set_parent(parent);
  request.mutable_room()->set_display_name(display_name);
  for (const std::string& capability : capabilities) {
    request.mutable_room()->add_capabilities(capability);
  }
  request.mutable_room()->set_active(true);
  request.set_request_id(NewRequestId());
  return practice_->CreateRoom(Context().get(), request, created);
}

grpc::Status ClinicClient::GetTreatmentType(const std::string& name,
                                            clinic::v1::TreatmentType* type) {
  clinic::v1::GetTreatmentTypeRequest request;
  request.set_name(name);
  return catalog_->GetTreatmentType(Context().get(), request, type);
}

grpc::Status ClinicClient::GetConsentForm(const std::string& treatment_type,
                                          clinic::v1::ConsentForm* form) {
  clinic::v1::GetConsentFormRequest request;
  request.set_treatment_type(treatment_type);
  return consent_->GetConsentForm(Context().get(), request, form);
}

grpc::Status ClinicClient::SignConsent(const std::string& patient,
                                       const clinic::v1::ConsentForm& form) {
  clinic::v1::SignConsentRequest request;
  request.set_parent(patient);
  clinic::v1::Consent* consent = request.mutable_consent();
  consent->set_consent_form(form.name());
  consent->set_text_sha256(form.text_sha256());
  consent->set_signer_kind(clinic::v1::SIGNER_KIND_PATIENT);
  consent->set_signer_name("Lasttest Patient");
  consent->set_method(clinic::v1::SIGNATURE_METHOD_TYPED_NAME);
  request.set_request_id(NewRequestId());
  clinic::v1::Consent signed_consent;
  return consent_->SignConsent(Context().get(), request, &signed_consent);
}

grpc::Status ClinicClient::SubmitClearScreening(const std::string& patient,
                                                const clinic::v1::TreatmentType& type) {
  clinic::v1::SubmitScreeningRequest request;
  request.set_parent(patient);
  request.mutable_screening()->set_treatment_type(type.name());
  // An answer without a time means "never"; yes/no questions unset mean no.
  for (const auto& question : type.screening_questions()) {
    request.mutable_screening()->add_answers()->set_question_id(question.id());
  }
  request.set_request_id(NewRequestId());
  clinic::v1::Screening submitted;
  grpc::Status status = consent_->SubmitScreening(Context().get(), request, &submitted);
  if (status.ok() && submitted.outcome() != clinic::v1::SCREENING_OUTCOME_CLEARED) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the screening did not clear the patient");
  }
  return status;
}

grpc::Status ClinicClient::CreateAppointment(const std::string& parent,
                                             const clinic::v1::Appointment& appointment,
                                             clinic::v1::Appointment* created) {
  clinic::v1::CreateAppointmentRequest request;
  request.set_parent(parent);
  *request.mutable_appointment() = appointment;
  request.set_request_id(NewRequestId());
  return booking_->CreateAppointment(Context().get(), request, created);
}

grpc::Status ClinicClient::SearchAvailability(const clinic::v1::SearchAvailabilityRequest& request,
                                              int* slots) {
  clinic::v1::SearchAvailabilityResponse response;
  grpc::Status status = booking_->SearchAvailability(Context().get(), request, &response);
  *slots = response.slots_size();
  return status;
}

}  // namespace clinicd::loadgen
