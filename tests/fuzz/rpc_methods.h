#pragma once

// The methods an RPC fuzz input can call: every method of the clinic.v1
// services and the test clock service, read from the schema's descriptors so
// a new method is fuzzed without touching the fuzzer.

#include <string>
#include <vector>

namespace clinicd::fuzz {

struct RpcMethod {
  // The gRPC path, e.g. `/clinic.v1.PatientService/CreatePatient`.
  std::string path;
  // True for a method that answers with a stream (WatchEvents).
  bool server_streaming = false;
};

// Every such method, ordered by path so an input keeps meaning the same
// method while the schema only grows at the end of that order.
const std::vector<RpcMethod>& FuzzedMethods();

}  // namespace clinicd::fuzz
