#include "services/common/grpc_status.h"

#include <string>

#include "absl/strings/ascii.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace clinicd {
namespace {

// Adds a payload of `status` to `out` as a google.protobuf.Any.
void CopyDetail(const absl::Status& status, absl::string_view type_url,
                google::rpc::Status& out) {
  auto payload = status.GetPayload(type_url);
  if (!payload) return;
  auto* any = out.add_details();
  any->set_type_url(std::string(type_url));
  any->set_value(std::string(*payload));
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(std::string(status.message()));
  if (status.GetPayload(kErrorInfoTypeUrl)) {
    CopyDetail(status, kErrorInfoTypeUrl, rpc_status);
  } else {
    // Every error carries an ErrorInfo so integrators can switch on reason.
    google::rpc::ErrorInfo info;
    info.set_reason(absl::AsciiStrToUpper(absl::StatusCodeToString(status.code())));
    info.set_domain(std::string(kErrorDomain));
    auto* any = rpc_status.add_details();
    any->set_type_url(std::string(kErrorInfoTypeUrl));
    any->set_value(info.SerializeAsString());
  }
  CopyDetail(status, kBadRequestTypeUrl, rpc_status);
  // absl and gRPC share the google.rpc.Code numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      rpc_status.SerializeAsString());
}

}  // namespace clinicd
