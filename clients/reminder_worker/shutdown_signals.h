#pragma once

// SIGTERM and SIGINT, received without a signal handler: the signals are
// blocked in every thread and one thread of its own waits for them with
// sigtimedwait, so nothing runs in signal context.

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"

namespace clinicd::reminder_worker {

// Construct it in main() before any other thread starts (threads inherit
// the blocked mask). The first signal notifies `stop`; a second one ends the
// process at once with status 1, leaving unacked leases to expire.
class ShutdownSignals final {
 public:
  explicit ShutdownSignals(absl::Notification* stop);
  // Ends the waiting thread.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  void Wait();

  absl::Notification* stop_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace clinicd::reminder_worker
