#pragma once

// A background thread that deletes what is kept no longer (prune_expired.h):
// once at start, then every interval, reading the time from the server's one
// clock. No request causes these deletions, so something must run them.

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/retention/retention_policy.h"
#include "services/store/database.h"

namespace clinicd::retention {

class RetentionJob final {
 public:
  // Starts a run at once and then one every `interval` of real time; each run
  // prunes to what `clock` reads when it begins.
  RetentionJob(store::Database& db, const Clock& clock, RetentionPolicy policy,
               absl::Duration interval);
  // Stops the thread: a run in progress ends after its current batch.
  ~RetentionJob();

  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  // Prunes to the clock's time now, on the caller's thread (the test clock
  // calls it after each move); logs what it deleted and any error.
  void RunNow();

 private:
  void Run();

  store::Database& db_;
  const Clock& clock_;
  const RetentionPolicy policy_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace clinicd::retention
