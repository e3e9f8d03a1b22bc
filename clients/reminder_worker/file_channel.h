#pragma once

// The development channel: appends each notification to a local file as one
// JSON line instead of sending it anywhere.

#include <string>

#include "clients/reminder_worker/delivery_channel.h"

namespace clinicd::reminder_worker {

// Appends NotificationJson(notification) and a newline to `path` (created
// with mode 0600: it holds patient data) in one write, so lines from several
// workers never interleave, and syncs it. An open or write error → retry.
class FileChannel final : public DeliveryChannel {
 public:
  explicit FileChannel(std::string path);

  DeliveryOutcome Deliver(const clinic::v1::Notification& notification) override;
  const char* kind() const override { return "file"; }

 private:
  std::string path_;
};

}  // namespace clinicd::reminder_worker
