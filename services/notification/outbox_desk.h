#pragma once

// A clinic's outbox as the front desk sees it: every notification with its
// delivery state, by due time, filtered by patient, resource and state; and
// sending a pending one ahead of its time.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::notification {

absl::StatusOr<clinic::v1::ListNotificationsResponse> ListNotifications(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListNotificationsRequest& request);

// Makes the pending notification `request.name()` due now (outside the
// clinic's quiet hours for a patient's message); FAILED_PRECONDITION when it
// is no longer pending.
absl::StatusOr<clinic::v1::Notification> SendNotificationNow(
    store::Database& db, const auth::Principal& principal,
    const clinic::v1::SendNotificationNowRequest& request, absl::Time now);

}  // namespace clinicd::notification
