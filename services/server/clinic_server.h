#pragma once

// One clinicd's gRPC server: every clinic.v1 service over one database,
// plugin registry and clock, with health, reflection and the checks every
// call passes before a handler runs (see request_checks.h). `clinicd serve`
// runs one on a port; the fuzzers run one in process.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/store/database.h"

namespace clinicd::server {

// Where and how the server listens. An empty address serves only
// InProcessChannel().
struct Listener {
  std::string address;
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

class ClinicServer final {
 public:
  // Builds and starts the server; an error names the address that could not
  // be bound (e.g. another process holds the port).
  static absl::StatusOr<std::unique_ptr<ClinicServer>> Start(
      store::Database& db, const plugin_host::TreatmentRegistry& registry, Clock& clock,
      const Listener& listener);
  ~ClinicServer();

  // The bound port (0 when serving in process only).
  int port() const { return port_; }
  // A channel straight into this server, without a socket.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Says NOT_SERVING, ends health watches and event streams, lets calls in flight finish
  // until `deadline`, then stops.
  void Drain(absl::Time deadline);

 private:
  struct Services;
  ClinicServer() = default;

  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace clinicd::server
