// Probing plugin files in a clinicd child process: plugins that take down
// the process loading them (a crash, an abort, an exit, a hang) are refused
// with what happened while the others load in this process; and a probe
// that cannot tell is a refusal too.

#include "services/plugin_host/plugin_probe.h"

#include <gtest/gtest.h>

#include "services/plugin_host/probe_report.h"
#include "tests/plugin_host/plugin_directory.h"

namespace clinicd::plugin_host {
namespace {

struct CrashingPlugin {
  std::string file;    // fixture file, copied in under the same name
  std::string reason;  // exact refusal
};

void PrintTo(const CrashingPlugin& crashing, std::ostream* out) { *out << crashing.file; }

class CrashingPluginTest : public ::testing::TestWithParam<CrashingPlugin> {};

TEST_P(CrashingPluginTest, IsRefusedWithWhatHappenedWhileTheOthersLoad) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  dir.AddBundled("maintenance_recall");
  dir.AddFixture(GetParam().file, GetParam().file);
  ProbeOptions probe = ProbeWithBuiltClinicd();
  probe.timeout = absl::Seconds(1);  // hang_in_init needs it; the rest take milliseconds
  auto registry = TreatmentRegistry::LoadDirectory(dir.path(), SystemClock(), probe);

  const clinic::v1::Plugin* record = RecordOf(*registry, GetParam().file);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->state(), clinic::v1::PLUGIN_STATE_REFUSED);
  EXPECT_EQ(record->refusal_reason(), GetParam().reason);
  EXPECT_EQ(record->file(), dir.path() + "/" + GetParam().file);
  ASSERT_EQ(registry->Plugins().size(), 3u);
  EXPECT_NE(registry->FindTreatmentType("treatmentTypes/microneedling"), nullptr);
  EXPECT_NE(registry->FindRecallPolicy("recallPolicies/maintenance_6_12_months"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    EveryWayToDie, CrashingPluginTest,
    ::testing::Values(
        CrashingPlugin{"segfault_in_init.so", "crashed with SIGSEGV during init"},
        CrashingPlugin{"abort_in_describe.so", "crashed with SIGABRT during describe"},
        // exit(0): a zero status, but the probe never finished, and a
        // server would be gone.
        CrashingPlugin{"exit_in_init.so", "exited with status 0 during init"},
        CrashingPlugin{"hang_in_init.so", "did not finish init within 1s (the probe was killed)"}),
    [](const ::testing::TestParamInfo<CrashingPlugin>& info) {
      return info.param.file.substr(0, info.param.file.find('.'));
    });

TEST(PluginProbeTest, ABundledPluginPasses) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  EXPECT_TRUE(ProbePluginFile(dir.path() + "/microneedling.so", ProbeWithBuiltClinicd()).ok());
}

TEST(PluginProbeTest, AProbeThatCannotStartRefusesTheFileSayingWhy) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  ProbeOptions probe;
  probe.program = "/nonexistent/clinicd";
  const absl::Status status = ProbePluginFile(dir.path() + "/microneedling.so", probe);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "could not be probed in a child process: cannot run /nonexistent/clinicd: No such "
            "file or directory");
}

// A program that exits 0 without saying it finished proves nothing.
TEST(PluginProbeTest, AChildThatExitsWithoutFinishingRefusesTheFile) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  ProbeOptions probe;
  probe.program = "/bin/true";
  EXPECT_EQ(ProbePluginFile(dir.path() + "/microneedling.so", probe).message(),
            "exited with status 0 before the plugin was opened");
}

TEST(ProbeReportTest, ReadsTheLastStepAndWhetherTheChildFinished) {
  const ProbeReport crashed =
      ParseProbeReport(StepLine(LoadStep::kOpen) + StepLine(LoadStep::kInit));
  EXPECT_EQ(crashed.last_step, "init");
  EXPECT_FALSE(crashed.finished);

  const ProbeReport finished =
      ParseProbeReport(StepLine(LoadStep::kOpen) + StepLine(LoadStep::kShutdown) + FinishedLine());
  EXPECT_EQ(finished.last_step, "shutdown");
  EXPECT_TRUE(finished.finished);

  EXPECT_EQ(ParseProbeReport("").last_step, "");
}

}  // namespace
}  // namespace clinicd::plugin_host
