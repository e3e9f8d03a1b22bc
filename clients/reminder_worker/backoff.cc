#include "clients/reminder_worker/backoff.h"

#include <algorithm>

namespace clinicd::reminder_worker {

Backoff::Backoff(absl::Duration initial, absl::Duration max, uint64_t seed)
    : initial_(std::min(initial, max)), max_(max), step_(initial_), random_(seed) {}

absl::Duration Backoff::Next() {
  const absl::Duration step = step_;
  step_ = std::min(step_ * 2, max_);
  std::uniform_real_distribution<double> half(0.5, 1.0);
  return step * half(random_);
}

}  // namespace clinicd::reminder_worker
