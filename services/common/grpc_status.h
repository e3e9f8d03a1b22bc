#pragma once

// The one place an internal absl::Status becomes what a gRPC caller sees.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace clinicd {

// Converts `status` to a grpc::Status whose binary details are a
// google.rpc.Status carrying the ErrorInfo (a default one with the code's
// name as reason when none was attached) and any BadRequest.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace clinicd
