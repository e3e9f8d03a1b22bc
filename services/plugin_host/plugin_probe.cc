#include "services/plugin_host/plugin_probe.h"

#include <string.h>

#include "absl/strings/str_cat.h"
#include "services/plugin_host/child_process.h"
#include "services/plugin_host/probe_report.h"

namespace clinicd::plugin_host {
namespace {

// "SIGSEGV", or the number for a signal glibc has no name for.
std::string SignalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation != nullptr ? absl::StrCat("SIG", abbreviation)
                                 : absl::StrCat("signal ", signal);
}

// "during init", or where the child was before any step of the plugin ran.
std::string During(const ProbeReport& report) {
  return report.last_step.empty() ? "before the plugin was opened"
                                  : absl::StrCat("during ", report.last_step);
}

// Why a child that did not finish and exit 0 refuses its file.
std::string HowItEnded(const ChildOutcome& child, const ProbeReport& report,
                       absl::Duration timeout) {
  switch (child.ending) {
    case ChildOutcome::Ending::kSignalled:
      return absl::StrCat("crashed with ", SignalName(child.signal), " ", During(report));
    case ChildOutcome::Ending::kTimedOut:
      return absl::StrCat("did not finish ",
                          report.last_step.empty() ? "starting" : report.last_step, " within ",
                          absl::FormatDuration(timeout), " (the probe was killed)");
    case ChildOutcome::Ending::kExited:
      break;
  }
  // Exit status 0 without finishing is a plugin that called exit(): it
  // would have ended the server just the same.
  return absl::StrCat("exited with status ", child.exit_status, " ", During(report));
}

}  // namespace

absl::Status ProbePluginFile(const std::string& file, const ProbeOptions& options) {
  absl::StatusOr<ChildOutcome> child =
      RunChild({options.program, kPluginProbeCommand, "--", file}, options.timeout);
  if (!child.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("could not be probed in a child process: ", child.status().message()));
  }
  const ProbeReport report = ParseProbeReport(child->report);
  if (child->ending == ChildOutcome::Ending::kExited && child->exit_status == 0 &&
      report.finished) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(HowItEnded(*child, report, options.timeout));
}

}  // namespace clinicd::plugin_host
