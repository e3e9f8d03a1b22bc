// The probe child's side of plugin_probe.h: runs inside `clinicd
// internal-probe-plugin -- FILE`, never in the server.

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "services/plugin_host/child_process.h"
#include "services/plugin_host/plugin_probe.h"
#include "services/plugin_host/probe_report.h"

namespace clinicd::plugin_host {
namespace {

// Writes `text` to the report pipe at once, unbuffered, so it survives a
// crash on the next line.
void Report(const std::string& text) {
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(kChildReportFd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // The parent is gone; nobody reads the report.
    written += static_cast<size_t>(n);
  }
}

}  // namespace

int RunPluginProbe(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "usage: clinicd " << kPluginProbeCommand << " -- FILE (run by clinicd itself)\n";
    return 2;
  }
  // A probe outlives no parent: a server killed mid-probe takes it along.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent logs the outcome; the child adds only the plugin's own
  // warnings and errors.
  if (spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);

  // Names are the parent's business (it knows what is loaded), and so is
  // the refusal: here every name is free and only getting through counts.
  auto no_owner = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  absl::StatusOr<std::unique_ptr<LoadedPlugin>> plugin = LoadPluginFile(
      args[0], no_owner, SystemClock(), [](LoadStep step) { Report(StepLine(step)); });
  if (plugin.ok()) {
    Report(StepLine(LoadStep::kShutdown));
    plugin->reset();  // Shuts the plugin down and closes its library.
  }
  Report(FinishedLine());
  return 0;
}

}  // namespace clinicd::plugin_host
