#pragma once

// A notification row as the outbox's readers get it: the claim, the
// acknowledgement and the front desk's list each read the columns they need
// into this one shape.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"

namespace clinicd::store {

// One stored notification; fields a query does not read keep their defaults.
struct StoredNotification {
  std::string id;
  std::string clinic_id;
  // Empty for messages to the clinic's own staff.
  std::string patient_id;
  clinic::v1::NotificationKind kind = clinic::v1::NOTIFICATION_KIND_UNSPECIFIED;
  clinic::v1::NotificationChannel channel = clinic::v1::NOTIFICATION_CHANNEL_UNSPECIFIED;
  std::string resource;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string dedupe_key;
  absl::Time due;
  int attempts = 0;
  clinic::v1::NotificationState state = clinic::v1::NOTIFICATION_STATE_UNSPECIFIED;
  // The id of the last lease handed out; empty before the first.
  std::string lease_id;
  // Set while a lease runs.
  std::optional<absl::Time> lease_expire_time;
  // What the last delivery attempt (or the claim that gave up) reported.
  std::string last_detail;
};

}  // namespace clinicd::store
