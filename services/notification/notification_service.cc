#include "services/notification/notification_service.h"

#include "services/common/errors.h"
#include "services/notification/notification_claims.h"
#include "services/notification/outbox_desk.h"
#include "services/outbox/event_log.h"
#include "services/resources/list_query.h"
#include "services/resources/reply.h"

namespace clinicd::notification {
namespace {

using auth::Principal;
using grpc::ServerContext;

// Events per stream message.
constexpr int kEventBatch = 100;
// How often a waiting stream checks whether its client left.
constexpr absl::Duration kWakeInterval = absl::Seconds(1);

}  // namespace

NotificationServiceImpl::NotificationServiceImpl(store::Database& db, const Clock& clock)
    : db_(db), guard_(db, clock, v1::NotificationService::service_full_name()) {}

grpc::Status NotificationServiceImpl::ClaimNotifications(ServerContext* context, const v1::ClaimNotificationsRequest* request, v1::ClaimNotificationsResponse* response) {
  return guard_.Run(context, "ClaimNotifications", *request, [&](const Principal& principal) {
    return resources::Reply(notification::ClaimNotifications(db_, principal, *request, principal.now),
                            response);
  });
}

grpc::Status NotificationServiceImpl::AckNotification(ServerContext* context, const v1::AckNotificationRequest* request, google::protobuf::Empty*) {
  return guard_.Run(context, "AckNotification", *request, [&](const Principal& principal) {
    return notification::AckNotification(db_, principal, *request, principal.now);
  });
}

grpc::Status NotificationServiceImpl::ListNotifications(ServerContext* context, const v1::ListNotificationsRequest* request, v1::ListNotificationsResponse* response) {
  return guard_.Run(context, "ListNotifications", *request, [&](const Principal& principal) {
    return resources::Reply(notification::ListNotifications(db_, principal, *request), response);
  });
}

grpc::Status NotificationServiceImpl::SendNotificationNow(ServerContext* context, const v1::SendNotificationNowRequest* request, v1::Notification* response) {
  return guard_.Run(context, "SendNotificationNow", *request, [&](const Principal& principal) {
    return resources::Reply(notification::SendNotificationNow(db_, principal, *request, principal.now),
                            response);
  });
}

grpc::Status NotificationServiceImpl::WatchEvents(ServerContext* context, const v1::WatchEventsRequest* request, grpc::ServerWriter<v1::WatchEventsResponse>* writer) {
  return guard_.Run(context, "WatchEvents", *request, [&](const Principal& principal) -> absl::Status {
    int64_t after = 0;
    if (!request->after_cursor().empty()) {
      absl::StatusOr<int64_t> decoded = outbox::DecodeCursor(request->after_cursor());
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    bool all_clinics = principal.all_clinics;
    std::vector<std::string> clinic_ids = principal.clinic_ids;
    if (!request->parent().empty()) {
      absl::StatusOr<std::string> clinic =
          resources::ParseClinicParent(principal, request->parent());
      if (!clinic.ok()) return clinic.status();
      all_clinics = false;
      clinic_ids = {*clinic};
    }
    // A cursor past the end of the feed (a database restored from an older
    // backup) would silently skip every event up to it: refuse it instead.
    absl::Status fits = db_.Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int64_t> last = outbox::LastSequence(tx);
      if (!last.ok()) return last.status();
      if (after <= *last) return absl::OkStatus();
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "CURSOR_AHEAD_OF_FEED",
          "after_cursor is past the newest event of this feed (was the database restored "
          "from a backup?); resume from an earlier cursor, or from the beginning with an "
          "empty after_cursor",
          {{"last_cursor", outbox::EncodeCursor(*last)}});
    });
    if (!fits.ok()) return fits;
    while (!context->IsCancelled()) {
      if (stopping_) {
        return absl::UnavailableError("the server is stopping; reconnect and resume from the "
                                      "last cursor you received");
      }
      // Noted before reading, so a commit after the read wakes the wait.
      const uint64_t seen = db_.commits();
      std::vector<v1::Event> events;
      absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
        absl::StatusOr<std::vector<v1::Event>> batch =
            outbox::ReadEvents(tx, after, all_clinics, clinic_ids, kEventBatch);
        if (!batch.ok()) return batch.status();
        events = *std::move(batch);
        return absl::OkStatus();
      });
      if (!read.ok()) return read;
      if (events.empty()) {
        db_.WaitForCommit(seen, kWakeInterval);
        continue;
      }
      v1::WatchEventsResponse response;
      for (v1::Event& event : events) *response.add_events() = std::move(event);
      absl::StatusOr<int64_t> last = outbox::DecodeCursor(response.events().rbegin()->cursor());
      if (!last.ok()) return last.status();
      after = *last;
      if (!writer->Write(response)) break;  // The client left.
    }
    return absl::OkStatus();
  });
}

}  // namespace clinicd::notification
