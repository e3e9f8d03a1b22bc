#include "services/rpc/rpc_guard.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/auth/api_keys.h"
#include "services/auth/auth_throttle.h"
#include "services/auth/rpc_policy.h"
#include "services/common/errors.h"
#include "services/common/grpc_status.h"
#include "services/rpc/field_limits.h"

namespace clinicd::rpc {
namespace {

// The bearer secret from the `authorization` metadata, or empty.
absl::string_view BearerSecret(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  return absl::StripAsciiWhitespace(value.substr(kScheme.size()));
}

}  // namespace

RpcGuard::RpcGuard(const store::Database& db, const Clock& clock, absl::string_view service)
    : db_(db), clock_(clock), service_(service) {}

absl::StatusOr<auth::Principal> RpcGuard::Admit(
    grpc::ServerContext* context, const std::string& full_method) const {
  absl::string_view secret = BearerSecret(*context);
  if (secret.empty()) {
    return ErrorWithReason(
        absl::StatusCode::kUnauthenticated, "MISSING_API_KEY",
        "this call needs `authorization: Bearer <api key>` metadata");
  }
  absl::StatusOr<auth::Principal> principal = verified_keys_.Authenticate(db_, secret);
  if (!principal.ok()) return principal.status();
  if (!auth::RoleMayCall(principal->role, full_method)) {
    return ErrorWithReason(
        absl::StatusCode::kPermissionDenied, "ROLE_NOT_ALLOWED",
        absl::StrCat("role `", auth::RoleName(principal->role),
                     "` may not call ", full_method),
        {{"role", std::string(auth::RoleName(principal->role))},
         {"method", full_method}});
  }
  return principal;
}

grpc::Status RpcGuard::Run(
    grpc::ServerContext* context, absl::string_view method,
    const google::protobuf::Message& request,
    absl::FunctionRef<absl::Status(const auth::Principal&)> body) const {
  const absl::Time start = absl::Now();
  const std::string full_method = absl::StrCat("/", service_, "/", method);
  absl::StatusOr<auth::Principal> principal = Admit(context, full_method);
  const bool unauthenticated = principal.status().code() == absl::StatusCode::kUnauthenticated;
  if (unauthenticated) {
    // Counted per peer; a peer that keeps failing is throttled and logged
    // in summaries (auth_throttle.h) rather than a line per call.
    principal = auth::AuthThrottle::Instance().Fail(context->peer(), principal.status(), start);
  }
  if (principal.ok()) principal->now = clock_.Now();
  absl::Status status = principal.status();
  if (status.ok()) status = CheckFieldLimits(request);
  if (status.ok()) {
    // A handler never takes the server down with it: whatever it throws is
    // this call's INTERNAL error, and the next call is served as usual.
    try {
      status = body(*principal);
    } catch (const std::exception& e) {
      status = ErrorWithReason(absl::StatusCode::kInternal, "INTERNAL",
                               absl::StrCat("unexpected error: ", e.what()));
    } catch (...) {
      status = ErrorWithReason(absl::StatusCode::kInternal, "INTERNAL", "unexpected error");
    }
  }
  const std::string key_id = principal.ok() ? principal->key_id : "-";
  const double millis = absl::ToDoubleMilliseconds(absl::Now() - start);
  // The server's faults, which an operator has to see; a client's mistakes
  // are info.
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kDataLoss || ErrorReason(status) == "STORAGE_FULL") {
    spdlog::error("rpc {} key={} code={} ms={:.2f}: {}", full_method, key_id,
                  absl::StatusCodeToString(status.code()), millis,
                  std::string(status.message()));
  } else if (!unauthenticated) {
    spdlog::info("rpc {} key={} code={} ms={:.2f}", full_method, key_id,
                 absl::StatusCodeToString(status.code()), millis);
  }
  return ToGrpcStatus(status);
}

}  // namespace clinicd::rpc
