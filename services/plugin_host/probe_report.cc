#include "services/plugin_host/probe_report.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinicd::plugin_host {
namespace {

constexpr absl::string_view kStep = "step ";
constexpr absl::string_view kFinished = "finished";

}  // namespace

std::string StepLine(LoadStep step) { return absl::StrCat(kStep, LoadStepName(step), "\n"); }

std::string FinishedLine() { return absl::StrCat(kFinished, "\n"); }

ProbeReport ParseProbeReport(absl::string_view text) {
  ProbeReport report;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, kStep)) {
      report.last_step = std::string(line);
    } else if (line == kFinished) {
      report.finished = true;
    }
  }
  return report;
}

}  // namespace clinicd::plugin_host
