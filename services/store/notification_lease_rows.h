#pragma once

// Leases of outbox notifications to reminder workers: which notifications a
// claim may take (pending from their due time, or leased with an expired
// lease), the lease itself, and the state an acknowledgement leaves. The
// caller holds the write transaction, and the claim locks what it picks (see
// ClaimableNotifications), so two workers never lease the same one.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/stored_notification.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Which notifications a claim may take.
struct ClaimFilter {
  // Every clinic, or only those in `clinic_ids`.
  bool all_clinics = false;
  std::vector<std::string> clinic_ids;
  // Only these channels; empty = every channel.
  std::vector<clinic::v1::NotificationChannel> channels;
};

// Up to `limit` notifications claimable at `now` under `filter`, by due time:
// id, clinic, patient, channel, attempts, kind, resource, recipient,
// subject, body, dedupe key and due time read. On PostgreSQL the rows stay
// locked until the transaction ends, and rows another transaction has
// locked are left out, so fewer than `limit` does not mean none are left.
absl::StatusOr<std::vector<StoredNotification>> ClaimableNotifications(Transaction& tx,
                                                                       absl::Time now,
                                                                       const ClaimFilter& filter,
                                                                       int limit);

// A lease handed to a worker.
struct NotificationLease {
  std::string lease_id;
  std::string owner;
  absl::Time expire_time;
  // The attempt this lease is, counting it.
  int attempts = 0;
  // The address it goes to, as the patient's record says now.
  std::string recipient;
};

// Leases notification `id` as `lease` at `now`.
absl::Status LeaseNotification(Transaction& tx, const std::string& id,
                               const NotificationLease& lease, absl::Time now);

// Ends notification `id` in `state` (failed or suppressed by a claim) with
// `detail`, clearing any lease.
absl::Status EndNotification(Transaction& tx, const std::string& id,
                             clinic::v1::NotificationState state, absl::string_view detail,
                             absl::Time now);

// The state, last lease id, attempts, patient (empty for staff messages) and
// due time of notification `id` of clinic `clinic_id`; nullopt when there is
// no such notification.
absl::StatusOr<std::optional<StoredNotification>> FindLeasedState(Transaction& tx,
                                                                  const std::string& clinic_id,
                                                                  const std::string& id);

// What an acknowledgement leaves: notification `id` in `state` with
// `detail`, due at `due` after `attempts` attempts, its lease cleared.
absl::Status RecordAcknowledgement(Transaction& tx, const std::string& id,
                                   clinic::v1::NotificationState state, absl::string_view detail,
                                   absl::Time due, int attempts, absl::Time now);

}  // namespace clinicd::store
