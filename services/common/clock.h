#pragma once

// The server's one clock. A request reads it once, when the call is admitted
// (rpc/rpc_guard.h), and every decision and timestamp of that request uses
// that instant; background jobs read it once per run; plugins read it through
// the host API. In production it is the system clock. A server started with
// --test_clock has a clock that stands still until a test sets or advances it
// (clinicd.test_clock.v1.TestClockService), so months of care can be walked
// through in seconds.
//
// Not for measuring how long something took (latency, timeouts, leases of a
// mutex): those are about the machine, not about care, and use absl::Now().

#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace clinicd {

class Clock final {
 public:
  // The system clock.
  Clock() = default;
  // A test clock standing at `start`.
  static std::unique_ptr<Clock> StandingAt(absl::Time start);

  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  // The current time, to the microsecond: the system's, or the test clock's
  // setting.
  absl::Time Now() const;

  // True for a test clock.
  bool is_test() const { return is_test_; }

  // Test clock only: stands the clock at `time` (never earlier than it is, so
  // recorded facts keep their order) or moves it on by `step` (> 0), then runs
  // every listener. FAILED_PRECONDITION on the system clock, INVALID_ARGUMENT
  // for a step back.
  absl::Status Set(absl::Time time);
  absl::Status Advance(absl::Duration step);

  // Runs `listener` after every Set/Advance, on the caller's thread, before
  // Set/Advance returns: background jobs (the recall clock) catch up with the
  // new time before the test looks.
  void OnChange(std::function<void()> listener);

 private:
  bool is_test_ = false;
  mutable absl::Mutex mu_;
  absl::Time test_now_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> listeners_ ABSL_GUARDED_BY(mu_);
};

// The process's system clock, for commands and tests that have no server.
const Clock& SystemClock();

}  // namespace clinicd
