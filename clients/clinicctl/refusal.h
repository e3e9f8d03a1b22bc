#pragma once

// How a command ends when it cannot do what was asked, and what the front
// desk should do next. A failed RPC keeps clinicd's code and message, and its
// details (google.rpc.Status from the grpc-status-details-bin trailer, with
// ErrorInfo and BadRequest); the advice is derived from the ErrorInfo reason
// and metadata, with times in the clinic's zone and commands to run next.

#include <grpcpp/grpcpp.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace clinicd::clinicctl {

// Exit codes of clinicctl.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

// The status of a failed RPC as an absl::Status: the same code and message,
// and the serialized google.rpc.Status details kept as a payload, which also
// marks it as clinicd's answer (or the transport's) rather than clinicctl's.
absl::Status FromRpc(const grpc::Status& status);

// True when `status` came from FromRpc.
bool IsFromRpc(const absl::Status& status);

// What the advice may use beyond the status itself.
struct RefusalContext {
  // What the command was doing, e.g. "check-in": "check-in refused by clinicd: ...".
  std::string action;
  // The clinic's zone, for times in the advice.
  absl::TimeZone zone = absl::UTCTimeZone();
  // Where clinicd was looked for, and whether over TLS.
  std::string server;
  bool tls = false;
  // The patient, treatment and series the command was about, as the user
  // named them (for commands to run next); empty when none.
  std::string patient;
  std::string treatment;
  std::string series;
  std::string appointment;
  // Request fields and the flags that set them, e.g. appointment.start_time → at.
  std::map<std::string, std::string> field_flags;
};

// The exit code for `status`: 0 when OK; 3 when clinicd could not be reached
// (UNAVAILABLE or DEADLINE_EXCEEDED from an RPC); 1 for any other answer of
// clinicd; for clinicctl's own errors 2 when INVALID_ARGUMENT (usage), else 1.
int ExitCodeFor(const absl::Status& status);

// What to print for a failure: the first line says what happened (clinicd's
// message, with its reason), each further line what to do about it.
std::vector<std::string> DescribeFailure(const absl::Status& status, const RefusalContext& context);

}  // namespace clinicd::clinicctl
