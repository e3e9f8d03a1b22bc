#pragma once

// How long clinicd keeps what it no longer needs to act on, and how the
// retention job deletes it. The defaults, and why, are in the README
// ("Retention"); the operator sets them in ServerConfig.retention.

#include "absl/time/time.h"

namespace clinicd::retention {

struct RetentionPolicy {
  // A request_id is honoured (a retry answers the first result) this long.
  absl::Duration idempotency_window = absl::Hours(24 * 7);
  // A delivered, failed, cancelled or suppressed message is kept this long
  // after it finished (and after its due time).
  absl::Duration finished_messages = absl::Hours(24 * 400);
  // An event stays in the feed this long.
  absl::Duration events = absl::Hours(24 * 400);
  // Rows deleted per write transaction.
  int batch_size = 500;
};

}  // namespace clinicd::retention
