#pragma once

#include <atomic>

#include "clinic/v1/notification_service.grpc.pb.h"
#include "services/rpc/rpc_guard.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::notification {

namespace v1 = ::clinic::v1;

// clinic.v1.NotificationService: the outbox leased to reminder workers
// (notification_claims.h) and the event feed integrations follow.
class NotificationServiceImpl final : public v1::NotificationService::Service {
 public:
  NotificationServiceImpl(store::Database& db, const Clock& clock);

  grpc::Status ClaimNotifications(grpc::ServerContext* context, const v1::ClaimNotificationsRequest* request, v1::ClaimNotificationsResponse* response) override;
  grpc::Status AckNotification(grpc::ServerContext* context, const v1::AckNotificationRequest* request, google::protobuf::Empty* response) override;
  // Sends every event after the cursor in batches, then waits for commits
  // and sends new events as they are committed, until the client leaves or
  // the server stops (then UNAVAILABLE: reconnect and resume from the last
  // cursor).
  grpc::Status WatchEvents(grpc::ServerContext* context, const v1::WatchEventsRequest* request, grpc::ServerWriter<v1::WatchEventsResponse>* writer) override;
  grpc::Status ListNotifications(grpc::ServerContext* context, const v1::ListNotificationsRequest* request, v1::ListNotificationsResponse* response) override;
  grpc::Status SendNotificationNow(grpc::ServerContext* context, const v1::SendNotificationNowRequest* request, v1::Notification* response) override;

  // Ends every open WatchEvents stream within a second; called before the
  // server shuts down so long-lived streams do not hold up the drain.
  void StopStreams() { stopping_ = true; }

 private:
  store::Database& db_;
  rpc::RpcGuard guard_;
  std::atomic<bool> stopping_{false};
};

}  // namespace clinicd::notification
