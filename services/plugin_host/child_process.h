#pragma once

// Runs a program as a short-lived child process with a deadline and collects
// what it reports on a dedicated pipe. Used to probe plugin files, where the
// child may crash, exit or hang in code clinicd does not control.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinicd::plugin_host {

// The file descriptor on which the child finds the report pipe.
inline constexpr int kChildReportFd = 3;

// How a child ended and what it reported.
struct ChildOutcome {
  enum class Ending { kExited, kSignalled, kTimedOut };
  Ending ending = Ending::kExited;
  // The exit status (kExited) or the terminating signal (kSignalled).
  int exit_status = 0;
  int signal = 0;
  // Everything written to kChildReportFd before the child ended (at most
  // kMaxChildReportBytes).
  std::string report;
};

inline constexpr size_t kMaxChildReportBytes = 64 * 1024;

// Starts argv[0] (a path, not searched in PATH) with posix_spawn, which is
// safe in a threaded process where fork() is not. The child gets stdin from
// /dev/null, its stdout joined to this process's stderr (so nothing it prints
// mixes with a command's output), the report pipe as kChildReportFd, no other
// descriptor of ours, an empty signal mask and default signal dispositions.
// Waits until it ends; after `timeout` it is killed with SIGKILL and reported
// as kTimedOut. An error only when it cannot be started.
absl::StatusOr<ChildOutcome> RunChild(const std::vector<std::string>& argv, absl::Duration timeout);

}  // namespace clinicd::plugin_host
