#include "clients/reminder_worker/notification_json.h"

#include <google/protobuf/util/json_util.h>

#include "absl/status/status.h"

namespace clinicd::reminder_worker {

absl::StatusOr<std::string> NotificationJson(const clinic::v1::Notification& notification) {
  clinic::v1::Notification outside = notification;
  outside.clear_lease_id();
  outside.clear_lease_expire_time();
  // What ListNotifications reports about delivery; not part of the message.
  outside.clear_state();
  outside.clear_delivery_detail();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  const auto status = google::protobuf::util::MessageToJsonString(outside, &json, options);
  if (!status.ok()) {
    // The printer's message may quote field content, so it is not passed on.
    return absl::InvalidArgumentError("notification cannot be written as JSON");
  }
  return json;
}

}  // namespace clinicd::reminder_worker
