#pragma once

// The notification outbox's queue: rows written in the transaction of the
// change that causes them. A message's dedupe key — its resource, its
// message id and its channel — is its identity, built here only, so
// re-planning the same message never queues it twice, and a message cancelled
// by one change and wanted again by the next is revived, not copied.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// One rendered message for one channel and recipient.
struct OutgoingNotification {
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
  // Stable within `resource`, e.g. a plugin message id plus the appointment
  // time it refers to; part of the dedupe key.
  std::string message_id;
  // When it may be sent (quiet hours already applied).
  absl::Time due;
};

// The dedupe key of `message_id` about `resource` on `channel`:
// `{resource}/{message id}/{channel}`, the channel in lower case (`email`).
std::string NotificationDedupeKey(absl::string_view resource, absl::string_view message_id,
                                  clinic::v1::NotificationChannel channel);

// Queues `message`. When its dedupe key is already queued, delivered or
// failed, nothing changes; when it was cancelled, it is pending again with
// the new content and due time.
absl::Status QueueNotification(Transaction& tx, const OutgoingNotification& message,
                               absl::Time now);

// Cancels the undelivered messages about `resource`, of `kind` or of every
// kind when `kind` is UNSPECIFIED: pending ones, and leased ones too, so a
// worker that then reports RETRY or RELEASED leaves them cancelled (one
// that reports DELIVERED records that it went out after all).
absl::Status CancelUndelivered(Transaction& tx, absl::string_view resource,
                               clinic::v1::NotificationKind kind, absl::Time now);

// Makes the cancelled messages about `resource` of `kind` pending again when
// they are still due in the future.
absl::Status ReviveCancelled(Transaction& tx, absl::string_view resource,
                             clinic::v1::NotificationKind kind, absl::Time now);

// Moves the pending messages about `resource` that are due before `until`
// to `until` (a snooze).
absl::Status HoldUntil(Transaction& tx, absl::string_view resource, absl::Time until,
                       absl::Time now);

// Moves the pending message `message_id` about `resource`, on every channel,
// to `due` (earlier or later).
absl::Status MovePendingNotification(Transaction& tx, absl::string_view resource,
                                     absl::string_view message_id, absl::Time due,
                                     absl::Time now);

}  // namespace clinicd::store
