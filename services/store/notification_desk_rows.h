#pragma once

// A clinic's outbox as the front desk reads it: every notification with its
// delivery state, by due time, one keyset page at a time; one notification by
// id; and moving a pending one's due time.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/store/keyset_page.h"
#include "services/store/stored_notification.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Which notifications of a clinic a list shows; empty fields do not filter.
struct NotificationFilter {
  std::string clinic_id;
  std::string patient_id;
  // What they are about, e.g. `clinics/{c}/appointments/{a}`.
  std::string resource;
  // Any of these states (valid, not UNSPECIFIED).
  std::vector<clinic::v1::NotificationState> states;
};

// Up to `limit` notifications matching `filter` ordered by (due time, id),
// after the key `after` (due time micros, id) of the previous page; every
// column but the lease id read.
absl::StatusOr<KeysetPage<StoredNotification>> ListNotificationRows(
    Transaction& tx, const NotificationFilter& filter, const std::vector<std::string>& after,
    int limit);

// Notification `id` of clinic `clinic_id` as ListNotificationRows reads it;
// nullopt when there is none.
absl::StatusOr<std::optional<StoredNotification>> FindNotification(Transaction& tx,
                                                                   const std::string& clinic_id,
                                                                   const std::string& id);

// Makes notification `id` due at `due`.
absl::Status SetNotificationDue(Transaction& tx, const std::string& id, absl::Time due,
                                absl::Time now);

}  // namespace clinicd::store
