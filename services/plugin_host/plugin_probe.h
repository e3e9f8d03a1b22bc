#pragma once

// Probing a plugin file in a child process before clinicd loads it, so a
// plugin that crashes, exits or hangs while it is opened, initialised,
// described or shut down takes down the child, not the server, and is
// refused with what happened. The child is the clinicd binary itself in a
// hidden mode (`clinicd internal-probe-plugin -- FILE`), started with
// posix_spawn: it runs the loader's checks on the file, init, describe and
// shutdown, and reports each step, and that it finished, on a pipe
// (probe_report.h).
// Each probe costs a process start (exec, dynamic linking) on top of the
// plugin's own load; see the README's plugin section.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace clinicd::plugin_host {

// The hidden command that runs RunPluginProbe.
inline constexpr char kPluginProbeCommand[] = "internal-probe-plugin";

struct ProbeOptions {
  // The program run as `PROGRAM internal-probe-plugin -- FILE`; it must hand
  // that command to RunPluginProbe. By default the running binary, which
  // for the server is clinicd.
  std::string program = "/proc/self/exe";
  // How long one probe may take before it is killed and the file refused.
  absl::Duration timeout = absl::Seconds(10);
};

// OK when the child got through loading `file` and exited 0: it opened
// it, ran init, describe and shutdown, or the loader refused it on the
// way. Refusing is this process's job, with the same checks and the names
// it knows are taken; the probe only shows that loading cannot take the
// process down. Otherwise FAILED_PRECONDITION whose message is the
// refusal reason (without the file name, as the loader's), how the child
// ended: "crashed with SIGSEGV during init", "exited with status 0 during
// init", "did not finish describe within 10s (the probe was killed)".
absl::Status ProbePluginFile(const std::string& file, const ProbeOptions& options);

// The child's side, for main(): `args` is what follows the command (the
// file). Loads and shuts down the file, writes the report on
// kChildReportFd and returns the exit code: 0 once it reported finishing,
// 2 for bad usage.
int RunPluginProbe(const std::vector<std::string>& args);

}  // namespace clinicd::plugin_host
