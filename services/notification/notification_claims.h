#pragma once

// Leasing outbox notifications to reminder workers. A claim takes due
// notifications (pending from their due time, or leased with an expired
// lease) inside one write transaction, so two workers never hold the same
// one; each lease gets a new id that the acknowledgement must carry. Before
// handing a patient's message out the patient's channel consent and address
// are read again: one who opted out since it was queued is not messaged.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::notification {

// Attempts before a notification is given up as failed.
inline constexpr int kMaxAttempts = 10;

// The wait before retry number `attempts` (1 after the first failure):
// one minute, doubling, at most six hours.
absl::Duration RetryBackoff(int attempts);

absl::StatusOr<clinic::v1::ClaimNotificationsResponse> ClaimNotifications(
    store::Database& db, const auth::Principal& principal,
    const clinic::v1::ClaimNotificationsRequest& request, absl::Time now);

absl::Status AckNotification(store::Database& db, const auth::Principal& principal,
                             const clinic::v1::AckNotificationRequest& request, absl::Time now);

}  // namespace clinicd::notification
