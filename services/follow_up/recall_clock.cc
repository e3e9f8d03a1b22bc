#include "services/follow_up/recall_clock.h"

#include <spdlog/spdlog.h>

#include "absl/time/clock.h"
#include "services/follow_up/recalls.h"

namespace clinicd::follow_up {

RecallClock::RecallClock(store::Database& db, absl::Duration interval)
    : db_(db), interval_(interval), thread_([this] { Run(); }) {}

RecallClock::~RecallClock() {
  stop_.Notify();
  thread_.join();
}

void RecallClock::Run() {
  do {
    int changed = 0;
    absl::Status status = db_.Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int> advanced = AdvanceRecalls(tx, absl::Now());
      if (!advanced.ok()) return advanced.status();
      changed = *advanced;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      spdlog::error("recall clock: {}", std::string(status.message()));
    } else if (changed > 0) {
      spdlog::info("recall clock: {} recalls moved on", changed);
    }
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

}  // namespace clinicd::follow_up
