#pragma once

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

// Internal to clinic_store.
namespace clinicd::store::internal {

// Counts commits and lets readers wait for the next one: what
// Database::commits and Database::WaitForCommit answer, whichever backend
// learns of the commits (its own writer, or PostgreSQL's NOTIFY).
class CommitCounter final {
 public:
  // Counts `committed` more and wakes every waiter.
  void Add(uint64_t committed) {
    if (committed == 0) return;
    absl::MutexLock lock(&mu_);
    count_ += committed;
    changed_.SignalAll();
  }

  uint64_t value() const {
    absl::MutexLock lock(&mu_);
    return count_;
  }

  // Blocks until the count differs from `seen` or `timeout` passes; returns
  // the count.
  uint64_t WaitPast(uint64_t seen, absl::Duration timeout) const {
    const absl::Time deadline = absl::Now() + timeout;
    absl::MutexLock lock(&mu_);
    while (count_ == seen) {
      if (changed_.WaitWithDeadline(&mu_, deadline)) break;  // Timed out.
    }
    return count_;
  }

 private:
  mutable absl::Mutex mu_;
  mutable absl::CondVar changed_;
  uint64_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace clinicd::store::internal
