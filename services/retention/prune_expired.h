#pragma once

// One retention run: everything past its retention at one instant, deleted a
// small batch per write transaction.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/retention/retention_policy.h"
#include "services/store/database.h"

namespace clinicd::retention {

// Rows a run deleted, by kind.
struct PrunedCounts {
  int64_t idempotency_records = 0;
  int64_t finished_messages = 0;
  int64_t events = 0;
};

// Deletes, as of `now`, the idempotency records, finished messages and feed
// events older than `policy` keeps them, `policy.batch_size` rows per
// Database::Write so the writer is free between batches for the requests
// waiting on it. Returns early (with what it deleted so far) once `stop` is
// notified, and on the first error.
absl::StatusOr<PrunedCounts> PruneExpired(store::Database& db, const RetentionPolicy& policy,
                                          absl::Time now, const absl::Notification& stop);

}  // namespace clinicd::retention
