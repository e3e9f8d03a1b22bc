#pragma once

// The calls the load generator makes, over one channel with one API key:
// each call gets its own context with the bearer key and a deadline, and
// every create carries a fresh request_id as a real client's would.

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "clinic/v1/patient_service.grpc.pb.h"
#include "clinic/v1/practice_service.grpc.pb.h"

namespace clinicd::loadgen {

// A channel of its own to `target` (HOST:PORT): a local subchannel pool, so
// that each client thread has its own HTTP/2 connection as separate front
// desks would, instead of all multiplexing over one shared connection.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target);

// Stubs for one client thread. Not thread-safe.
class ClinicClient final {
 public:
  ClinicClient(std::shared_ptr<grpc::Channel> channel, std::string key, uint64_t seed);

  // Creates a clinic in Berlin (region DE) called `display_name`.
  grpc::Status CreateClinic(const std::string& display_name, clinic::v1::Clinic* clinic);

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

 private:
  // A context with `authorization: Bearer <key>` and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

  // A random version-4 UUID for request_id.
  std::string NewRequestId();

  std::string key_;
  std::unique_ptr<clinic::v1::PracticeService::Stub> practice_;
  std::unique_ptr<clinic::v1::PatientService::Stub> patients_;
  std::mt19937_64 rng_;
};

}  // namespace clinicd::loadgen
