#include "services/retention/prune_expired.h"

#include "absl/functional/function_ref.h"
#include "services/store/retention.h"

namespace clinicd::retention {
namespace {

// A batch pruner of store/retention.h: (transaction, cutoff, limit) → deleted.
using PruneBatch = absl::FunctionRef<absl::StatusOr<int>(store::Transaction&, absl::Time, int)>;

// Runs `prune` batch after batch, each in its own write transaction, until a
// batch comes back short (nothing more is old enough) or `stop` is notified.
absl::Status PruneAll(store::Database& db, PruneBatch prune, absl::Time cutoff, int batch_size,
                      const absl::Notification& stop, int64_t* deleted) {
  int last = batch_size;
  while (last == batch_size && !stop.HasBeenNotified()) {
    absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int> pruned = prune(tx, cutoff, batch_size);
      if (!pruned.ok()) return pruned.status();
      last = *pruned;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    *deleted += last;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PrunedCounts> PruneExpired(store::Database& db, const RetentionPolicy& policy,
                                          absl::Time now, const absl::Notification& stop) {
  PrunedCounts counts;
  if (absl::Status s = PruneAll(db, store::PruneIdempotencyRecords, now - policy.idempotency_window,
                                policy.batch_size, stop, &counts.idempotency_records);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = PruneAll(db, store::PruneFinishedMessages, now - policy.finished_messages,
                                policy.batch_size, stop, &counts.finished_messages);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = PruneAll(db, store::PruneEvents, now - policy.events, policy.batch_size,
                                stop, &counts.events);
      !s.ok()) {
    return s;
  }
  return counts;
}

}  // namespace clinicd::retention
