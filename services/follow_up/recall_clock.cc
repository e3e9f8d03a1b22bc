#include "services/follow_up/recall_clock.h"

#include <spdlog/spdlog.h>

#include "services/follow_up/recalls.h"

namespace clinicd::follow_up {

RecallClock::RecallClock(store::Database& db, const Clock& clock, absl::Duration interval)
    : db_(db), clock_(clock), interval_(interval), thread_([this] { Run(); }) {}

RecallClock::~RecallClock() {
  stop_.Notify();
  thread_.join();
}

void RecallClock::Run() {
  do {
    Tick();
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

void RecallClock::Tick() {
  const absl::Time now = clock_.Now();
  int changed = 0;
  absl::Status status = db_.Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int> advanced = AdvanceRecalls(tx, now);
      if (!advanced.ok()) return advanced.status();
      changed = *advanced;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      spdlog::error("recall clock: {}", std::string(status.message()));
    } else if (changed > 0) {
      spdlog::info("recall clock: {} recalls moved on", changed);
    }
}

}  // namespace clinicd::follow_up
