#pragma once

// The notification outbox: rows written in the transaction of the change that
// causes them, later leased to reminder workers (notification_claims.h). A
// message's dedupe key is its identity, so re-planning the same message never
// queues it twice, and a message cancelled by one change and wanted again by
// the next (a cancelled appointment's recall re-opens) is revived, not copied.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/transaction.h"

namespace clinicd::outbox {

// One rendered message for one channel and recipient.
struct OutgoingMessage {
  std::string clinic_id;
  // Empty for messages to the clinic's own staff.
  std::string patient_id;
  // What it is about, e.g. `clinics/{c}/appointments/{a}`.
  std::string resource;
  clinic::v1::NotificationKind kind = clinic::v1::NOTIFICATION_KIND_UNSPECIFIED;
  clinic::v1::NotificationChannel channel = clinic::v1::NOTIFICATION_CHANNEL_UNSPECIFIED;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string dedupe_key;
  // When it may be sent (quiet hours already applied).
  absl::Time due;
};

// Queues `message`. When its dedupe key is already queued, delivered or
// failed, nothing changes; when it was cancelled, it is pending again with
// the new content and due time.
absl::Status Enqueue(store::Transaction& tx, const OutgoingMessage& message, absl::Time now);

// Cancels the undelivered messages about `resource`, of `kind` or of every
// kind when `kind` is UNSPECIFIED: pending ones, and leased ones too, so a
// worker that then reports RETRY or RELEASED leaves them cancelled (one
// that reports DELIVERED records that it went out after all).
absl::Status CancelUndelivered(store::Transaction& tx, absl::string_view resource,
                           clinic::v1::NotificationKind kind, absl::Time now);

// Makes the cancelled messages about `resource` of `kind` pending again when
// they are still due in the future.
absl::Status ReviveCancelled(store::Transaction& tx, absl::string_view resource,
                             clinic::v1::NotificationKind kind, absl::Time now);

// Moves the pending messages about `resource` that are due before `until`
// to `until` (a snooze).
absl::Status HoldUntil(store::Transaction& tx, absl::string_view resource, absl::Time until,
                       absl::Time now);

// The lower-case channel name used in dedupe keys, e.g. `email`.
std::string ChannelKey(clinic::v1::NotificationChannel channel);

}  // namespace clinicd::outbox
