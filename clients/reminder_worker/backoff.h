#pragma once

// Exponential backoff with jitter for retrying clinicd while it is
// unavailable, so that many workers do not retry in step.

#include <cstdint>
#include <random>

#include "absl/time/time.h"

namespace clinicd::reminder_worker {

// Waits of initial, 2x, 4x, ... capped at `max`; each wait is drawn
// uniformly from the upper half of its step ("equal jitter"), so it is never
// shorter than half the step. Not thread-safe.
class Backoff final {
 public:
  Backoff(absl::Duration initial, absl::Duration max, uint64_t seed);

  // The next wait; each call doubles the step until the cap.
  absl::Duration Next();

  // Back to the initial step, after a success.
  void Reset() { step_ = initial_; }

 private:
  absl::Duration initial_;
  absl::Duration max_;
  absl::Duration step_;
  std::mt19937_64 random_;
};

}  // namespace clinicd::reminder_worker
