#pragma once

// gRPC's synchronous server answers a request body it cannot decode (bytes
// that are not the method's message, a string field that is not UTF-8) with
// INTERNAL and no message, before any handler runs. That is the client's
// mistake, so this interceptor turns exactly that answer into
// INVALID_ARGUMENT naming the method and what was wrong.

#include <grpcpp/support/server_interceptor.h>

#include <memory>

namespace clinicd::rpc {

// The factory to register with ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UndecodableRequestInterceptors();

}  // namespace clinicd::rpc
