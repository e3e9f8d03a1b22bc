// Fuzzes every RPC's request handling on a real in-process server (see
// fuzz_clinic.h). An input is
//   byte 0      the caller: admin key, front-desk key, no key, or a bogus key
//   byte 1      the method, an index into FuzzedMethods() (modulo their count)
//   the rest    the raw request body, placeholders replaced by seeded ids
// A client's input must never get INTERNAL, UNKNOWN or DATA_LOSS (those say
// the server failed), and must never leave the server unable to write: after
// every call a canary CreatePatient must succeed.
// CLINICD_FUZZ_VERBOSE=1 prints each call's method and answer, e.g. to see
// how deep the seeds get.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "clinic/v1/patient_service.grpc.pb.h"
#include "tests/fuzz/fuzz_clinic.h"
#include "tests/fuzz/fuzz_seed_data.h"
#include "tests/fuzz/raw_call.h"
#include "tests/fuzz/resource_placeholders.h"
#include "tests/fuzz/rpc_methods.h"

namespace {

using clinicd::fuzz::FuzzClinic;

const std::string& CallerKey(const FuzzClinic& clinic, uint8_t selector) {
  static const std::string kNoKey;
  static const std::string kBogusKey = "clinicd_not_a_key";
  switch (selector % 4) {
    case 0:
      return clinic.admin_key;
    case 1:
      return clinic.front_desk_key;
    case 2:
      return kNoKey;
    default:
      return kBogusKey;
  }
}

bool IsServerFailure(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::DATA_LOSS;
}

[[noreturn]] void Fail(const std::string& method, const grpc::Status& status, const char* what) {
  std::fprintf(stderr, "rpc_request_fuzzer: %s %s: code %d: %s\n", method.c_str(), what,
               static_cast<int>(status.error_code()), status.error_message().c_str());
  std::abort();
}

// A write that must always work; a fresh request_id each time so it writes.
grpc::Status CanaryWrite(const FuzzClinic& clinic) {
  static uint64_t count = 0;
  clinic::v1::CreatePatientRequest request;
  request.set_parent("clinics/" + clinic.ids.clinic);
  request.set_request_id("fuzz-canary-" + std::to_string(++count));
  request.mutable_patient()->set_given_name("Canary");
  request.mutable_patient()->set_family_name("Write");
  clinic::v1::Patient patient;
  return clinic::v1::PatientService::NewStub(clinic.channel)
      ->CreatePatient(clinicd::fuzz::ContextWithKey(clinic.admin_key).get(), request, &patient);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return -1;  // Not a call: keep it out of the corpus.
  const FuzzClinic& clinic = clinicd::fuzz::TheFuzzClinic();
  const auto& methods = clinicd::fuzz::FuzzedMethods();
  const clinicd::fuzz::RpcMethod& method = methods[data[1] % methods.size()];
  const std::string body = clinicd::fuzz::WithSeededIds(
      std::string(reinterpret_cast<const char*>(data) + 2, size - 2), clinic.ids);

  const grpc::Status status =
      clinicd::fuzz::CallRaw(clinic.channel, method, body, CallerKey(clinic, data[0]));
  static const bool verbose = std::getenv("CLINICD_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "%s -> %d %s\n", method.path.c_str(),
                 static_cast<int>(status.error_code()), status.error_message().c_str());
  }
  if (IsServerFailure(status.error_code())) Fail(method.path, status, "answered");
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && !method.server_streaming) {
    Fail(method.path, status, "did not answer within its deadline");
  }
  const grpc::Status canary = CanaryWrite(clinic);
  if (!canary.ok()) Fail(method.path, canary, "was followed by a failed canary write");
  return 0;
}
