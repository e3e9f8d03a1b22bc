#include "services/common/clock.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace clinicd {

namespace {

// Times are stored and compared at microseconds (the database's precision):
// a time read back must equal the "now" it was written at.
absl::Time Micros(absl::Time time) { return absl::FromUnixMicros(absl::ToUnixMicros(time)); }

}  // namespace

std::unique_ptr<Clock> Clock::StandingAt(absl::Time start) {
  auto clock = std::make_unique<Clock>();
  clock->is_test_ = true;
  clock->test_now_ = Micros(start);
  return clock;
}

absl::Time Clock::Now() const {
  if (!is_test_) return Micros(absl::Now());
  absl::MutexLock lock(&mu_);
  return test_now_;
}

absl::Status Clock::Set(absl::Time time) {
  if (!is_test_) {
    return absl::FailedPreconditionError("the clock is the system's; start with --test_clock");
  }
  std::vector<std::function<void()>> listeners;
  {
    absl::MutexLock lock(&mu_);
    if (time < test_now_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "time: the test clock only moves forward; it is ",
          absl::FormatTime(absl::RFC3339_full, test_now_, absl::UTCTimeZone())));
    }
    test_now_ = Micros(time);
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener();
  return absl::OkStatus();
}

absl::Status Clock::Advance(absl::Duration step) {
  if (step <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("step: must be positive; the test clock only moves forward");
  }
  return Set(Now() + step);
}

void Clock::OnChange(std::function<void()> listener) {
  absl::MutexLock lock(&mu_);
  listeners_.push_back(std::move(listener));
}

const Clock& SystemClock() {
  static const Clock* const clock = new Clock();
  return *clock;
}

}  // namespace clinicd
