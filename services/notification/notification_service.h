#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

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

  // WatchEvents streams one API key may hold open at once, and the server
  // in all (each holds a thread); beyond them a new stream is refused
  // RESOURCE_EXHAUSTED `TOO_MANY_STREAMS`.
  static constexpr int kMaxStreamsPerKey = 16;
  static constexpr int kMaxStreams = 256;

 private:
  // Takes a stream slot for `key_id`, or says why not. A stream whose
  // client has left but whose handler has not yet noticed does not count.
  absl::Status OpenStream(const std::string& key_id, grpc::ServerContext* context);
  void CloseStream(const std::string& key_id, grpc::ServerContext* context);

  store::Database& db_;
  rpc::RpcGuard guard_;
  std::atomic<bool> stopping_{false};
  absl::Mutex streams_mu_;
  // The open streams of each key, by their calls' contexts (valid while
  // listed: a handler removes its own before it returns).
  absl::flat_hash_map<std::string, std::vector<grpc::ServerContext*>> streams_by_key_
      ABSL_GUARDED_BY(streams_mu_);
};

}  // namespace clinicd::notification
