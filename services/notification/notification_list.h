#pragma once

// A clinic's outbox as the front desk sees it: every notification with its
// delivery state, by due time, filtered by patient, resource and state.

#include "absl/status/statusor.h"
#include "clinic/v1/notification_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::notification {

absl::StatusOr<clinic::v1::ListNotificationsResponse> ListNotifications(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListNotificationsRequest& request);

}  // namespace clinicd::notification
