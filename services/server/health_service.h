#pragma once

// grpc.health.v1.Health, served by clinicd itself rather than gRPC's
// default service: health here means "this server can take writes", so it
// follows the database writer (a full disk, an I/O error, a write wedged
// for longer than kWedgedWrite) as well as the drain at shutdown, and a
// Watch ends as soon as the drain begins instead of holding the shutdown
// for its whole grace period. Being generated from health.proto, it is also
// what reflection describes.

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/store/database.h"

namespace clinicd::server {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // A write holding the writer longer than this makes the server NOT_SERVING.
  static constexpr absl::Duration kWedgedWrite = absl::Seconds(10);
  // How often the writer is probed (a one-page write that is rolled into the
  // WAL like any other), so a full disk shows while nobody books, and its
  // recovery shows without a client having to try a write.
  static constexpr absl::Duration kProbeInterval = absl::Seconds(2);
  // Watch streams open at once; more are refused RESOURCE_EXHAUSTED.
  static constexpr int kMaxWatchers = 64;

  // `services` are the full names a check may ask about besides "".
  HealthService(store::Database& db, std::set<std::string> services);
  ~HealthService() override;

  grpc::Status Check(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

  // From now on every service is NOT_SERVING and open watches end.
  void StartDraining();

 private:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  ServingStatus StatusOf(const std::string& service) const;
  // Whether the writer takes writes now; logs (once) when that changes.
  bool WriterHealthy() const;
  void ProbeLoop();

  store::Database& db_;
  const std::set<std::string> services_;
  std::atomic<bool> draining_{false};
  std::atomic<int> watchers_{0};
  mutable std::atomic<bool> writer_healthy_{true};
  absl::Notification stop_probe_;
  mutable absl::Mutex changed_mu_;
  mutable absl::CondVar changed_;
  std::thread probe_;
};

}  // namespace clinicd::server
