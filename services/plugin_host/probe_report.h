#pragma once

// What a probe child tells its parent on kChildReportFd: one line before
// each load step begins ("step init"), then "finished" once the file is
// loaded and shut down, or refused. The child writes each line as it
// happens, so a crash loses nothing written before it, and the last step
// line says where it died.

#include <string>

#include "absl/strings/string_view.h"
#include "services/plugin_host/plugin_loader.h"

namespace clinicd::plugin_host {

// The line the child writes before `step`.
std::string StepLine(LoadStep step);
// The line the child writes when it is through, whatever the loader said.
std::string FinishedLine();

// A report as the parent reads it back.
struct ProbeReport {
  // The name of the last step begun ("init"); empty when none was.
  std::string last_step;
  // False when the child ended before it was through.
  bool finished = false;
};

ProbeReport ParseProbeReport(absl::string_view text);

}  // namespace clinicd::plugin_host
