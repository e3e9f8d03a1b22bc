#include "services/notification/notification_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/auth/api_keys.h"
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
// How often a waiting stream checks its key is still live.
constexpr absl::Duration kWakeInterval = absl::Seconds(1);
// How often a waiting stream checks whether its client left.
constexpr absl::Duration kLeaveCheck = absl::Milliseconds(100);

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
    // Empty: from the oldest event the feed still keeps.
    std::optional<int64_t> after;
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
    if (absl::Status slot = OpenStream(principal.key_id, context); !slot.ok()) return slot;
    struct Slot {
      NotificationServiceImpl& service;
      const std::string& key_id;
      ServerContext* context;
      ~Slot() { service.CloseStream(key_id, context); }
    } slot{*this, principal.key_id, context};
    // The key is checked again at least every kWakeInterval, so a revoked
    // key's stream ends within about a second of the revocation.
    absl::Time key_checked = absl::InfinitePast();
    while (!context->IsCancelled()) {
      if (stopping_) {
        return absl::UnavailableError("the server is stopping; reconnect and resume from the "
                                      "last cursor you received");
      }
      if (absl::Now() - key_checked >= kWakeInterval) {
        if (absl::Status live = auth::CheckKeyStillValid(db_, principal.key_id); !live.ok()) {
          return live;
        }
        key_checked = absl::Now();
      }
      // Noted before reading, so a commit after the read wakes the wait.
      const uint64_t seen = db_.commits();
      std::vector<v1::Event> events;
      // The newest event of the read's snapshot when the batch was not full:
      // nothing up to it is for this stream beyond `events`.
      std::optional<int64_t> scanned_through;
      absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
        // Checked with every batch, in its snapshot: a cursor past the end is
        // refused, and one whose next events were pruned meanwhile (a client
        // that fell behind by the whole retention) ends the stream instead of
        // skipping them.
        absl::StatusOr<int64_t> from = outbox::ResumePoint(tx, after);
        if (!from.ok()) return from.status();
        after = *from;
        absl::StatusOr<std::vector<v1::Event>> batch =
            outbox::ReadEvents(tx, *after, all_clinics, clinic_ids, kEventBatch);
        if (!batch.ok()) return batch.status();
        events = *std::move(batch);
        if (events.size() < static_cast<size_t>(kEventBatch)) {
          absl::StatusOr<int64_t> newest = outbox::NewestSequence(tx);
          if (!newest.ok()) return newest.status();
          scanned_through = *newest;
        }
        return absl::OkStatus();
      });
      if (!read.ok()) return read;
      if (events.empty()) {
        // A stream of a quiet clinic moves past other clinics' events, so
        // their pruning never expires a stream that is up to date.
        if (scanned_through.has_value()) after = *scanned_through;
        // Wait for a commit in short slices, so a client that left (or the
        // stop) frees the stream's thread and slot within kLeaveCheck; the
        // feed is read again only after a commit or for the key check.
        const absl::Time until = key_checked + kWakeInterval;
        while (db_.commits() == seen && !context->IsCancelled() && !stopping_ &&
               absl::Now() < until) {
          db_.WaitForCommit(seen, kLeaveCheck);
        }
        continue;
      }
      v1::WatchEventsResponse response;
      for (v1::Event& event : events) *response.add_events() = std::move(event);
      absl::StatusOr<int64_t> last = outbox::DecodeCursor(response.events().rbegin()->cursor());
      if (!last.ok()) return last.status();
      after = std::max(*last, scanned_through.value_or(*last));
      if (!writer->Write(response)) break;  // The client left.
    }
    return absl::OkStatus();
  });
}

absl::Status NotificationServiceImpl::OpenStream(const std::string& key_id,
                                                 ServerContext* context) {
  absl::MutexLock lock(&streams_mu_);
  auto live = [](const std::vector<ServerContext*>& streams) {
    return std::count_if(streams.begin(), streams.end(),
                         [](ServerContext* open) { return !open->IsCancelled(); });
  };
  int64_t all = 0;
  for (const auto& [key, streams] : streams_by_key_) all += live(streams);
  std::vector<ServerContext*>& mine = streams_by_key_[key_id];
  const bool key_full = live(mine) >= kMaxStreamsPerKey;
  if (key_full || all >= kMaxStreams) {
    if (mine.empty()) streams_by_key_.erase(key_id);
    return ErrorWithReason(
        absl::StatusCode::kResourceExhausted, "TOO_MANY_STREAMS",
        key_full ? absl::StrCat("this API key already has ", kMaxStreamsPerKey,
                                " event streams open; close one, or share one stream")
                 : absl::StrCat("this server already has ", kMaxStreams,
                                " event streams open; retry later or use another server"),
        {{"limit", absl::StrCat(key_full ? kMaxStreamsPerKey : kMaxStreams)}});
  }
  mine.push_back(context);
  return absl::OkStatus();
}

void NotificationServiceImpl::CloseStream(const std::string& key_id, ServerContext* context) {
  absl::MutexLock lock(&streams_mu_);
  std::vector<ServerContext*>& mine = streams_by_key_[key_id];
  mine.erase(std::remove(mine.begin(), mine.end(), context), mine.end());
  if (mine.empty()) streams_by_key_.erase(key_id);
}

}  // namespace clinicd::notification
