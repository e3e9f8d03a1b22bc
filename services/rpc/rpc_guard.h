#pragma once

// Every RPC handler runs its body through an RpcGuard: it authenticates the
// caller, checks the role table, maps the result to a gRPC status with
// details, and logs the outcome with ids only (never request content).

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <string>
#include "absl/strings/string_view.h"

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "services/auth/principal.h"
#include "services/auth/verified_keys.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::rpc {

// Authenticates and authorizes the calls of one gRPC service.
class RpcGuard final {
 public:
  // `service` is the full service name, e.g. `clinic.v1.PatientService`;
  // `clock` gives each admitted call its time (Principal::now).
  RpcGuard(const store::Database& db, const Clock& clock, absl::string_view service);

  // Runs `body` for method `method` (e.g. `CreatePatient`) when the caller's
  // key is valid, its role may call it, and `request` keeps to the size
  // limits of field_limits.h.
  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   const google::protobuf::Message& request,
                   absl::FunctionRef<absl::Status(const auth::Principal&)> body) const;

 private:
  // The caller's principal, or UNAUTHENTICATED / PERMISSION_DENIED.
  absl::StatusOr<auth::Principal> Admit(grpc::ServerContext* context,
                                        const std::string& full_method) const;

  const store::Database& db_;
  const Clock& clock_;
  // Keys verified in the last half second, so a call reads no key row.
  mutable auth::VerifiedKeys verified_keys_;
  std::string service_;
};

}  // namespace clinicd::rpc
