#include "services/retention/retention_job.h"

#include <spdlog/spdlog.h>

#include "services/retention/prune_expired.h"

namespace clinicd::retention {

RetentionJob::RetentionJob(store::Database& db, const Clock& clock, RetentionPolicy policy,
                           absl::Duration interval)
    : db_(db),
      clock_(clock),
      policy_(policy),
      interval_(interval),
      thread_([this] { Run(); }) {}

RetentionJob::~RetentionJob() {
  stop_.Notify();
  thread_.join();
}

void RetentionJob::Run() {
  do {
    RunNow();
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

void RetentionJob::RunNow() {
  absl::StatusOr<PrunedCounts> pruned = PruneExpired(db_, policy_, clock_.Now(), stop_);
  if (!pruned.ok()) {
    // The next run tries again; nothing is lost by keeping rows longer.
    spdlog::error("retention: {}", std::string(pruned.status().message()));
    return;
  }
  if (pruned->idempotency_records + pruned->finished_messages + pruned->events > 0) {
    spdlog::info("retention: deleted {} idempotency records, {} finished messages, {} events",
                 pruned->idempotency_records, pruned->finished_messages, pruned->events);
  }
}

}  // namespace clinicd::retention
