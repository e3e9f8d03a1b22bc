#include "clients/reminder_worker/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

namespace clinicd::reminder_worker {
namespace {

sigset_t ShutdownSet() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

ShutdownSignals::ShutdownSignals(absl::Notification* stop) : stop_(stop) {
  const sigset_t signals = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  thread_ = std::thread([this] { Wait(); });
}

ShutdownSignals::~ShutdownSignals() {
  done_ = true;
  thread_.join();
}

void ShutdownSignals::Wait() {
  const sigset_t signals = ShutdownSet();
  // Wakes four times a second to notice the destructor.
  const timespec tick = {0, 250 * 1000 * 1000};
  while (!done_) {
    const int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal <= 0) continue;
    if (!stop_->HasBeenNotified()) {
      spdlog::info("received {}; finishing the current delivery and releasing the rest",
                   strsignal(signal));
      stop_->Notify();
    } else {
      spdlog::warn("received {} again; exiting without finishing", strsignal(signal));
      std::_Exit(1);
    }
  }
}

}  // namespace clinicd::reminder_worker
