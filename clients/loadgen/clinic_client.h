#pragma once

// The calls the load generator makes, over one channel with one API key:
// each call gets its own context with the bearer key and a deadline, and
// every create carries a fresh request_id as a real client's would.

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clinic/v1/booking_service.grpc.pb.h"
#include "clinic/v1/consent_service.grpc.pb.h"
#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"

namespace clinicd::loadgen {

// A channel of its own to `target` (HOST:PORT): a local subchannel pool, so
// that each client thread has its own HTTP/2 connection as separate front
// desks would, instead of all multiplexing over one shared connection.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target);

// Stubs for one client thread. Not thread-safe.
class ClinicClient final {
 public:
  ClinicClient(std::shared_ptr<grpc::Channel> channel, std::string key, uint64_t seed);

  // Creates a clinic in Berlin (region DE) called `display_name`, taking
  // bookings up to `booking_horizon` ahead (zero: the server's default).
  grpc::Status CreateClinic(const std::string& display_name, clinic::v1::Clinic* clinic,
                            absl::Duration booking_horizon = absl::ZeroDuration());

  // Gets clinic `name`.
  grpc::Status GetClinic(const std::string& name);

  // Registers `patient` in clinic `parent`.
  grpc::Status CreatePatient(const std::string& parent, const clinic::v1::Patient& patient,
                             clinic::v1::Patient* created);

  // Gets patient `name`.
  grpc::Status GetPatient(const std::string& name);

  // Searches clinic `parent` for `query`, one page of `page_size`.
  grpc::Status SearchPatients(const std::string& parent, const std::string& query,
                              int32_t page_size);

  // Lists one page of `page_size` after `*page_token`, which it replaces with
  // the next page's token (empty after the last page).
  grpc::Status ListPatients(const std::string& parent, int32_t page_size, std::string* page_token);

  // The calls below are in clinic_client_care.cc: what it takes to book
  // treatments, and booking itself.

  // Creates a practitioner working every day from 00:00 to 23:59 who gives
  // `treatment_type`.
  grpc::Status CreatePractitioner(const std::string& parent, const std::string& display_name,
                                  const std::string& treatment_type,
                                  clinic::v1::Practitioner* created);

  // Creates an active room with `capabilities`.
  grpc::Status CreateRoom(const std::string& parent, const std::string& display_name,
                          const std::vector<std::string>& capabilities, clinic::v1::Room* created);

  // Gets treatment type `name` with its protocol and screening questions.
  grpc::Status GetTreatmentType(const std::string& name, clinic::v1::TreatmentType* type);

  // Gets the current consent form of `treatment_type`.
  grpc::Status GetConsentForm(const std::string& treatment_type, clinic::v1::ConsentForm* form);

  // Signs `form` for `patient` with a typed name, as the patient.
  grpc::Status SignConsent(const std::string& patient, const clinic::v1::ConsentForm& form);

  // Answers every screening question of `type` for `patient` with "never" or
  // "no", which clears the patient.
  grpc::Status SubmitClearScreening(const std::string& patient,
                                    const clinic::v1::TreatmentType& type);

  // Books `appointment` in clinic `parent`.
  grpc::Status CreateAppointment(const std::string& parent,
                                 const clinic::v1::Appointment& appointment,
                                 clinic::v1::Appointment* created);

  // Searches free slots as `request` asks; `*slots` gets how many came back.
  grpc::Status SearchAvailability(const clinic::v1::SearchAvailabilityRequest& request, int* slots);

 private:
  // A context with `authorization: Bearer <key>` and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

  // A random version-4 UUID for request_id.
  std::string NewRequestId();

  std::string key_;
  std::unique_ptr<clinic::v1::PracticeService::Stub> practice_;
  std::unique_ptr<clinic::v1::PatientService::Stub> patients_;
  std::unique_ptr<clinic::v1::BookingService::Stub> booking_;
  std::unique_ptr<clinic::v1::ConsentService::Stub> consent_;
  std::unique_ptr<clinic::v1::TreatmentCatalogService::Stub> catalog_;
  std::mt19937_64 rng_;
};

}  // namespace clinicd::loadgen
