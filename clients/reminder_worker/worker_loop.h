#pragma once

// The worker's loop: claim a batch of due notifications, deliver each on
// its channel, and acknowledge every one with its lease id.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "clients/reminder_worker/backoff.h"
#include "clients/reminder_worker/channel_router.h"
#include "clinic/v1/notification_service.grpc.pb.h"

namespace clinicd::reminder_worker {

// How the loop claims.
struct LoopOptions {
  // `clinics/{clinic}`, or empty for every clinic the key may see.
  std::string parent;
  // Most notifications per claim.
  int batch = 10;
  // Lease asked for with each claim.
  absl::Duration lease = absl::Seconds(60);
  // Recorded with each lease.
  std::string worker_id;
  // Wait after an empty claim.
  absl::Duration poll_interval = absl::Seconds(5);
  // Longest wait between claims while clinicd is unavailable.
  absl::Duration max_backoff = absl::Seconds(60);
  // Upper bound of one delivery: a notification whose lease ends sooner is
  // released instead of attempted, so that it is never sent twice at once.
  absl::Duration delivery_timeout = absl::Seconds(30);
  // Deadline of each ClaimNotifications and AckNotification call.
  absl::Duration rpc_timeout = absl::Seconds(20);
};

// Runs claim → deliver → ack rounds until stopped. After a claim that found
// nothing it waits `poll_interval`; after a full batch it claims again at
// once; while clinicd is unavailable it backs off (exponential, jittered,
// capped). Once `stop` is notified it claims no more: the delivery under way
// finishes and the rest of the batch is acked RELEASED.
class WorkerLoop final {
 public:
  WorkerLoop(std::shared_ptr<grpc::ChannelInterface> channel, std::string api_key,
             LoopOptions options, const ChannelRouter* router, absl::Notification* stop);

  // Returns 0 once stopped, 1 when clinicd refuses the worker for good (bad
  // key, role, clinic or a server without notifications).
  int Run();

 private:
  // The result of one claim: the notifications, or a status.
  grpc::Status Claim(clinic::v1::ClaimNotificationsResponse* response);

  // Delivers (or releases) every notification of one claim; `lease_end` is
  // the earliest its leases can end, by this machine's clock.
  void DeliverBatch(const clinic::v1::ClaimNotificationsResponse& response, absl::Time lease_end);

  // Delivers one notification on its channel and acks the outcome.
  void DeliverOne(const clinic::v1::Notification& notification);

  // Acks `notification` with `result`; retries transient failures a few times.
  void Ack(const clinic::v1::Notification& notification, clinic::v1::DeliveryResult result,
           const std::string& detail);

  // A context carrying the API key, with the RPC deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

  std::unique_ptr<clinic::v1::NotificationService::Stub> stub_;
  std::string api_key_;
  LoopOptions options_;
  const ChannelRouter* router_;
  absl::Notification* stop_;
  Backoff backoff_;
};

}  // namespace clinicd::reminder_worker
