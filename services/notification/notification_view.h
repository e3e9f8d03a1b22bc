#pragma once

// A stored notification as clinic.v1 shows it to workers and the front desk.

#include "clinic/v1/notification_service.pb.h"
#include "services/store/stored_notification.h"

namespace clinicd::notification {

// `stored` with its resource names (`clinics/{c}/notifications/{n}`, and the
// patient's when it is for one); fields the store did not read stay unset.
clinic::v1::Notification ToNotification(const store::StoredNotification& stored);

}  // namespace clinicd::notification
