// The plugin host with real shared libraries: the bundled plugins and
// fixtures broken in one way each, loaded from a temp directory with dlopen.

#include "services/plugin_host/treatment_registry.h"

#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "tests/plugin_host/plugin_directory.h"

namespace clinicd::plugin_host {
namespace {

using google::protobuf::util::TimeUtil;

void ExpectBundledLoaded(const TreatmentRegistry& registry) {
  const clinic::v1::Plugin* microneedling = RecordOf(registry, "microneedling.so");
  ASSERT_NE(microneedling, nullptr);
  EXPECT_EQ(microneedling->state(), clinic::v1::PLUGIN_STATE_LOADED)
      << microneedling->refusal_reason();
  EXPECT_EQ(microneedling->name(), "plugins/microneedling");
  const clinic::v1::Plugin* recall = RecordOf(registry, "maintenance_recall.so");
  ASSERT_NE(recall, nullptr);
  EXPECT_EQ(recall->state(), clinic::v1::PLUGIN_STATE_LOADED) << recall->refusal_reason();
  EXPECT_NE(registry.FindTreatmentType("treatmentTypes/microneedling"), nullptr);
  EXPECT_NE(registry.FindRecallPolicy("recallPolicies/maintenance_6_12_months"), nullptr);
}

TEST(TreatmentRegistryTest, BundledPluginsLoadAndProvideTheirResources) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  dir.AddBundled("maintenance_recall");
  auto registry = TreatmentRegistry::LoadDirectory(dir.path());
  ExpectBundledLoaded(*registry);
  ASSERT_EQ(registry->Plugins().size(), 2u);
  // Records come in file-name order.
  ASSERT_EQ(registry->Plugins()[0].recall_policies_size(), 1);
  EXPECT_EQ(registry->Plugins()[0].recall_policies(0), "recallPolicies/maintenance_6_12_months");
  ASSERT_EQ(registry->Plugins()[1].treatment_types_size(), 1);
  EXPECT_EQ(registry->Plugins()[1].treatment_types(0), "treatmentTypes/microneedling");
  EXPECT_EQ(registry->TreatmentTypes().size(), 1u);
  // The microneedling protocol names the recall policy the other plugin provides.
  EXPECT_EQ(registry->FindTreatmentType("treatmentTypes/microneedling")->recall_policy(),
            "recallPolicies/maintenance_6_12_months");
}

TEST(TreatmentRegistryTest, MissingDirectoryGivesAnEmptyRegistry) {
  auto registry = TreatmentRegistry::LoadDirectory("/nonexistent/clinicd/plugins");
  EXPECT_TRUE(registry->Plugins().empty());
  EXPECT_TRUE(registry->TreatmentTypes().empty());
}

struct BrokenPlugin {
  std::string fixture;  // fixture file in build/tests/plugin_fixtures
  std::string file;     // name it is copied in as
  std::string reason;   // exact refusal; {dir} stands for the plugin directory
};

// Names the case in test output by its file instead of its bytes.
void PrintTo(const BrokenPlugin& broken, std::ostream* out) { *out << broken.file; }

class BrokenPluginTest : public ::testing::TestWithParam<BrokenPlugin> {
 protected:
  // Loads the bundled plugins and the broken one, probed or not, and
  // checks the broken one alone is refused, with its exact reason.
  void ExpectRefusedWhileTheOthersServe(const std::optional<ProbeOptions>& probe) {
    const BrokenPlugin& broken = GetParam();
    PluginDirectory dir;
    dir.AddBundled("microneedling");
    dir.AddBundled("maintenance_recall");
    dir.AddFixture(broken.fixture, broken.file);
    auto registry = TreatmentRegistry::LoadDirectory(dir.path(), SystemClock(), probe);
    const clinic::v1::Plugin* record = RecordOf(*registry, broken.file);
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->state(), clinic::v1::PLUGIN_STATE_REFUSED);
    EXPECT_EQ(record->refusal_reason(),
              absl::StrReplaceAll(broken.reason, {{"{dir}", dir.path()}}));
    EXPECT_TRUE(record->treatment_types().empty());
    ExpectBundledLoaded(*registry);
    EXPECT_EQ(registry->TreatmentTypes().size(), 1u);
  }
};

TEST_P(BrokenPluginTest, IsRefusedWithItsReasonWhileTheOthersServe) {
  ExpectRefusedWhileTheOthersServe(std::nullopt);
}

// The probe child runs the same checks and hands back the same reason; a
// name clash, which only the server can see, is still caught after it.
TEST_P(BrokenPluginTest, IsRefusedWithTheSameReasonWhenProbedFirst) {
  ExpectRefusedWhileTheOthersServe(ProbeWithBuiltClinicd());
}

INSTANTIATE_TEST_SUITE_P(
    EveryWayToBreak, BrokenPluginTest,
    ::testing::Values(
        BrokenPlugin{"not_a_library.so", "not_a_library.so",
                     "cannot open: {dir}/not_a_library.so: invalid ELF header"},
        BrokenPlugin{"no_entry.so", "no_entry.so",
                     "no entry symbol `clinicd_plugin_entry` (export one with CLINICD_PLUGIN)"},
        BrokenPlugin{"wrong_abi.so", "wrong_abi.so",
                     "ABI version 2, expected 1 (rebuild the plugin against this clinicd's "
                     "plugin_abi.h)"},
        BrokenPlugin{"truncated.so", "truncated.so",
                     "plugin struct is 40 bytes, expected " +
                         std::to_string(sizeof(clinicd_plugin)) +
                         " (built against a different plugin_abi.h)"},
        BrokenPlugin{"missing_describe.so", "missing_describe.so",
                     "required field `describe` is not set"},
        BrokenPlugin{"duplicate_name.so", "zz_duplicate_name.so",
                     "name `microneedling` is already taken by {dir}/microneedling.so"},
        BrokenPlugin{"init_fails.so", "init_fails.so",
                     "init failed: device calibration table missing"},
        BrokenPlugin{"bad_protocol.so", "bad_protocol.so",
                     "describe: treatment_types[0].indications[0].series: needs 1 <= "
                     "min_sessions <= max_sessions"}),
    [](const ::testing::TestParamInfo<BrokenPlugin>& info) {
      std::string name = info.param.file.substr(0, info.param.file.find('.'));
      return name;
    });

TEST(TreatmentRegistryTest, HooksRunInsideThePluginLibrary) {
  PluginDirectory dir;
  dir.AddBundled("microneedling");
  dir.AddBundled("maintenance_recall");
  auto registry = TreatmentRegistry::LoadDirectory(dir.path());
  const clinic::v1::TreatmentType* type =
      registry->FindTreatmentType("treatmentTypes/microneedling");
  ASSERT_NE(type, nullptr);

  const absl::TimeZone berlin = [] {
    absl::TimeZone zone;
    absl::LoadTimeZone("Europe/Berlin", &zone);
    return zone;
  }();
  auto at = [&](int y, int m, int d, int h) {
    return TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), berlin)));
  };

  clinicd::plugin::v1::EvaluateScreeningRequest screening;
  *screening.mutable_treatment_type() = *type;
  screening.set_time_zone("Europe/Berlin");
  *screening.mutable_session_time() = at(2027, 1, 15, 10);
  for (const auto& question : type->screening_questions()) {
    clinic::v1::ScreeningAnswer* answer = screening.add_answers();
    answer->set_question_id(question.id());
    if (question.id() == "isotretinoin_last_dose") *answer->mutable_time() = at(2026, 12, 1, 9);
  }
  auto evaluated = registry->EvaluateScreening(screening);
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  EXPECT_EQ(evaluated->outcome(), clinic::v1::SCREENING_OUTCOME_CONTRAINDICATED);
  EXPECT_EQ(evaluated->until_time().seconds(), at(2027, 6, 1, 9).seconds());

  clinicd::plugin::v1::PlanSeriesRequest plan;
  *plan.mutable_treatment_type() = *type;
  plan.set_indication("acne_scars");
  plan.set_time_zone("Europe/Berlin");
  *plan.mutable_first_session_time() = at(2027, 1, 15, 10);
  auto planned = registry->PlanSeries(plan);
  ASSERT_TRUE(planned.ok()) << planned.status();
  EXPECT_EQ(planned->session_count(), 6);

  clinicd::plugin::v1::ScheduleRecallRequest recall;
  *recall.mutable_policy() = *registry->FindRecallPolicy("recallPolicies/maintenance_6_12_months");
  *recall.mutable_treatment_type() = *type;
  recall.set_time_zone("Europe/Berlin");
  *recall.mutable_series_completion_time() = at(2027, 6, 1, 10);
  auto scheduled = registry->ScheduleRecall(recall);
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_EQ(scheduled->due_time().seconds(), at(2027, 12, 1, 10).seconds());
  EXPECT_EQ(scheduled->lapse_time().seconds(), at(2028, 6, 1, 10).seconds());
}

}  // namespace
}  // namespace clinicd::plugin_host
