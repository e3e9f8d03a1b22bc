#pragma once

// A background thread that moves recalls along as time passes (upcoming →
// due with a RECALL_DUE feed event, due → lapsed): no request causes those
// changes, so something must notice them.

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/store/database.h"

namespace clinicd::follow_up {

class RecallClock final {
 public:
  // Starts ticking at once and then every `interval`.
  RecallClock(store::Database& db, absl::Duration interval);
  // Stops the thread; a tick in progress finishes first.
  ~RecallClock();

  RecallClock(const RecallClock&) = delete;
  RecallClock& operator=(const RecallClock&) = delete;

 private:
  void Run();

  store::Database& db_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace clinicd::follow_up
