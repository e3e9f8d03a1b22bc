#include "services/plugin_host/treatment_registry.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/plugin_host/plugin_loader.h"

namespace clinicd::plugin_host {
namespace {

namespace fs = std::filesystem;

// The `*.so` files of `directory`, sorted; empty when it does not exist.
std::vector<fs::path> PluginFiles(const std::string& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Probes `file` in a child process when asked to, then loads it here.
absl::StatusOr<std::unique_ptr<LoadedPlugin>> ProbeThenLoad(
    const fs::path& file, const NameOwner& owner, const Clock& clock,
    const std::optional<ProbeOptions>& probe) {
  if (probe.has_value()) {
    if (absl::Status probed = ProbePluginFile(file.string(), *probe); !probed.ok()) return probed;
  }
  return LoadPluginFile(file.string(), owner, clock, [&file](LoadStep step) {
    spdlog::debug("plugin {}: {}", file.string(), LoadStepName(step));
  });
}

}  // namespace

std::unique_ptr<TreatmentRegistry> TreatmentRegistry::LoadDirectory(
    const std::string& directory, const Clock& clock, const std::optional<ProbeOptions>& probe) {
  std::unique_ptr<TreatmentRegistry> registry(new TreatmentRegistry());
  if (directory.empty() || !fs::is_directory(directory)) {
    spdlog::warn("plugin directory `{}` does not exist; no treatment types are loaded",
                 directory);
    return registry;
  }
  for (const fs::path& file : PluginFiles(directory)) {
    clinic::v1::Plugin record;
    record.set_file(file.string());
    auto owner = [&](const std::string& name) -> std::optional<std::string> {
      for (const auto& plugin : registry->plugins_) {
        if (plugin->name() == name) return plugin->file();
      }
      return std::nullopt;
    };
    // Named before any of its code runs, so a crash in this process (the
    // probe passed, the plugin misbehaved anyway) still has a last word.
    spdlog::info("plugin {}: loading", file.string());
    absl::StatusOr<std::unique_ptr<LoadedPlugin>> plugin = ProbeThenLoad(file, owner, clock, probe);
    absl::Status added = plugin.ok() ? absl::OkStatus() : plugin.status();
    if (plugin.ok()) {
      const LoadedPlugin& loaded = **plugin;
      record.set_name(absl::StrCat("plugins/", loaded.name()));
      record.set_version(loaded.version());
      for (const auto& type : loaded.description().treatment_types()) {
        record.add_treatment_types(type.name());
      }
      for (const auto& policy : loaded.description().recall_policies()) {
        record.add_recall_policies(policy.name());
      }
      added = registry->Add(*std::move(plugin));
    }
    if (added.ok()) {
      record.set_state(clinic::v1::PLUGIN_STATE_LOADED);
      spdlog::info("plugin {} loaded: {} {}", file.string(), record.name(), record.version());
    } else {
      record.set_name(absl::StrCat("plugins/", file.stem().string()));
      record.set_state(clinic::v1::PLUGIN_STATE_REFUSED);
      record.set_refusal_reason(std::string(added.message()));
      record.clear_treatment_types();
      record.clear_recall_policies();
      spdlog::error("plugin {} refused: {}", file.string(), record.refusal_reason());
    }
    registry->records_.push_back(std::move(record));
  }
  return registry;
}

absl::Status TreatmentRegistry::Add(std::unique_ptr<LoadedPlugin> plugin) {
  for (const auto& type : plugin->description().treatment_types()) {
    if (auto it = treatment_types_.find(type.name()); it != treatment_types_.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "treatment type `", type.name(), "` is already provided by plugin `",
          it->second.second->name(), "`"));
    }
  }
  for (const auto& policy : plugin->description().recall_policies()) {
    if (auto it = recall_policies_.find(policy.name()); it != recall_policies_.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "recall policy `", policy.name(), "` is already provided by plugin `",
          it->second.second->name(), "`"));
    }
  }
  for (const auto& type : plugin->description().treatment_types()) {
    treatment_types_[type.name()] = {&type, plugin.get()};
  }
  for (const auto& policy : plugin->description().recall_policies()) {
    recall_policies_[policy.name()] = {&policy, plugin.get()};
  }
  plugins_.push_back(std::move(plugin));
  return absl::OkStatus();
}

const clinic::v1::TreatmentType* TreatmentRegistry::FindTreatmentType(
    const std::string& name) const {
  auto it = treatment_types_.find(name);
  return it == treatment_types_.end() ? nullptr : it->second.first;
}

std::vector<const clinic::v1::TreatmentType*> TreatmentRegistry::TreatmentTypes() const {
  std::vector<const clinic::v1::TreatmentType*> types;
  for (const auto& [name, entry] : treatment_types_) types.push_back(entry.first);
  return types;
}

const clinic::v1::RecallPolicy* TreatmentRegistry::FindRecallPolicy(
    const std::string& name) const {
  auto it = recall_policies_.find(name);
  return it == recall_policies_.end() ? nullptr : it->second.first;
}

std::vector<const clinic::v1::RecallPolicy*> TreatmentRegistry::RecallPolicies() const {
  std::vector<const clinic::v1::RecallPolicy*> policies;
  for (const auto& [name, entry] : recall_policies_) policies.push_back(entry.first);
  return policies;
}

template <typename Response>
absl::StatusOr<Response> TreatmentRegistry::Run(const LoadedPlugin* plugin,
                                                clinicd_hook clinicd_plugin::*hook,
                                                absl::string_view hook_name,
                                                const google::protobuf::Message& request) const {
  absl::StatusOr<std::string> bytes = plugin->Call(hook, hook_name, request.SerializeAsString());
  if (!bytes.ok()) return bytes.status();
  Response response;
  if (!response.ParseFromString(*bytes)) {
    return absl::InternalError(absl::StrCat("plugin `", plugin->name(), "` ", hook_name,
                                            " returned a malformed response"));
  }
  return response;
}

absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> TreatmentRegistry::EvaluateScreening(
    const clinicd::plugin::v1::EvaluateScreeningRequest& request) const {
  auto it = treatment_types_.find(request.treatment_type().name());
  if (it == treatment_types_.end()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                           absl::StrCat(request.treatment_type().name(), " not found"));
  }
  return Run<clinicd::plugin::v1::EvaluateScreeningResponse>(
      it->second.second, &clinicd_plugin::evaluate_screening, "evaluate_screening", request);
}

absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> TreatmentRegistry::PlanSeries(
    const clinicd::plugin::v1::PlanSeriesRequest& request) const {
  auto it = treatment_types_.find(request.treatment_type().name());
  if (it == treatment_types_.end()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                           absl::StrCat(request.treatment_type().name(), " not found"));
  }
  return Run<clinicd::plugin::v1::PlanSeriesResponse>(it->second.second,
                                                      &clinicd_plugin::plan_series,
                                                      "plan_series", request);
}

absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> TreatmentRegistry::ScheduleRecall(
    const clinicd::plugin::v1::ScheduleRecallRequest& request) const {
  auto it = recall_policies_.find(request.policy().name());
  if (it == recall_policies_.end()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                           absl::StrCat(request.policy().name(), " not found"));
  }
  return Run<clinicd::plugin::v1::ScheduleRecallResponse>(it->second.second,
                                                          &clinicd_plugin::schedule_recall,
                                                          "schedule_recall", request);
}

}  // namespace clinicd::plugin_host
