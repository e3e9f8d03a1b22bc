#pragma once

// Sends bytes as a method's request body without encoding them first, the
// way a hostile or broken client can: through grpc::GenericStub.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "tests/fuzz/rpc_methods.h"

namespace clinicd::fuzz {

// Calls `method` with `body` and the key `key` (no authorization when
// empty) and returns the final status. A server stream is read for its first
// message only, then cancelled: what matters is how the request was judged.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel, const RpcMethod& method,
                     const std::string& body, const std::string& key);

}  // namespace clinicd::fuzz
