#include "services/server/health_service.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"

namespace clinicd::server {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

HealthService::HealthService(store::Database& db, std::set<std::string> services)
    : db_(db), services_(std::move(services)), probe_([this] { ProbeLoop(); }) {}

HealthService::~HealthService() {
  StartDraining();
  stop_probe_.Notify();
  probe_.join();
}

void HealthService::ProbeLoop() {
  while (!stop_probe_.WaitForNotificationWithTimeout(kProbeInterval)) {
    db_.ProbeWriter().IgnoreError();  // The outcome is kept by WriterHealth.
    WriterHealthy();
  }
}

bool HealthService::WriterHealthy() const {
  const absl::Status health = db_.WriterHealth(kWedgedWrite);
  // Whoever sees a change first (the probe, or a check after a failed write)
  // logs it and wakes the watches.
  if (writer_healthy_.exchange(health.ok()) != health.ok()) {
    if (health.ok()) {
      spdlog::warn("health: the database takes writes again; SERVING");
    } else {
      spdlog::error("health: NOT_SERVING, the database cannot take writes: {}",
                    std::string(health.message()));
    }
    absl::MutexLock lock(&changed_mu_);
    changed_.SignalAll();
  }
  return health.ok();
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& service) const {
  if (!service.empty() && services_.count(service) == 0) return HealthCheckResponse::SERVICE_UNKNOWN;
  if (draining_ || !WriterHealthy()) return HealthCheckResponse::NOT_SERVING;
  return HealthCheckResponse::SERVING;
}

grpc::Status HealthService::Check(grpc::ServerContext*, const HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  const ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("no service `", request->service(), "` on this server"));
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context, const HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  struct Slot {
    std::atomic<int>& count;
    ~Slot() { --count; }
  } slot{watchers_};
  if (++watchers_ > kMaxWatchers) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("this server already has ", kMaxWatchers,
                                     " health watches open; poll Check instead"));
  }
  bool first = true;
  ServingStatus sent = HealthCheckResponse::UNKNOWN;
  while (!context->IsCancelled()) {
    const ServingStatus now = StatusOf(request->service());
    if (first || now != sent) {
      HealthCheckResponse response;
      response.set_status(now);
      if (!writer->Write(response)) return grpc::Status::OK;  // The client left.
      sent = now;
      first = false;
    }
    if (draining_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down");
    }
    absl::MutexLock lock(&changed_mu_);
    changed_.WaitWithTimeout(&changed_mu_, absl::Milliseconds(250));
  }
  return grpc::Status::OK;
}

void HealthService::StartDraining() {
  draining_ = true;
  absl::MutexLock lock(&changed_mu_);
  changed_.SignalAll();
}

}  // namespace clinicd::server
