#pragma once

// A background thread that moves recalls along as time passes (upcoming →
// due with a RECALL_DUE feed event, due → lapsed): no request causes those
// changes, so something must notice them.

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/store/database.h"

namespace clinicd::follow_up {

class RecallClock final {
 public:
  // Starts ticking at once and then every `interval` of real time; each tick
  // moves recalls to what `clock` reads then.
  RecallClock(store::Database& db, const Clock& clock, absl::Duration interval);
  // Stops the thread; a tick in progress finishes first.
  ~RecallClock();

  RecallClock(const RecallClock&) = delete;
  RecallClock& operator=(const RecallClock&) = delete;

  // Moves every recall along to the clock's time now, on the caller's
  // thread (the test clock calls it after each move).
  void Tick();

 private:
  void Run();

  store::Database& db_;
  const Clock& clock_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace clinicd::follow_up
