#pragma once

// The notification as the webhook and the file outbox carry it.

#include <string>

#include "absl/status/statusor.h"
#include "clinic/v1/notification_service.pb.h"

namespace clinicd::reminder_worker {

// `notification` in canonical proto3 JSON (protobuf's printer: lowerCamelCase
// names, enum names, fields at their default omitted) on one line, without
// the lease fields, which only matter between the worker and the server, or
// the delivery state and detail the outbox list reports.
absl::StatusOr<std::string> NotificationJson(const clinic::v1::Notification& notification);

}  // namespace clinicd::reminder_worker
