#pragma once

// grpc.reflection.v1.ServerReflection, beside the v1alpha service Debian's
// gRPC 1.51 provides: newer tools (grpcurl, Postman, grpcui) ask v1 first
// and some ask nothing else. Both describe the same services from the
// process's generated descriptor pool.

#include <set>
#include <string>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace clinicd::server {

class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::Service {
 public:
  // `services`: the full names list_services answers with.
  explicit ReflectionV1Service(std::set<std::string> services);

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>* stream) override;

 private:
  const std::set<std::string> services_;
};

}  // namespace clinicd::server
