#pragma once

// The treatment types and recall policies the loaded plugins provide, keyed
// by resource name, and a record of every plugin file found — loaded or
// refused with its reason. Built once at start-up; read-only afterwards, so
// services may consult it from any thread.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/v1/treatment_catalog_service.pb.h"
#include "clinicd/plugin/v1/plugin.pb.h"
#include "services/common/clock.h"
#include "services/plugin_host/loaded_plugin.h"
#include "services/plugin_host/plugin_probe.h"

namespace clinicd::plugin_host {

class TreatmentRegistry final {
 public:
  // Loads every `*.so` in `directory` in file-name order, each file logged
  // ("plugin FILE: loading") before any of its code runs. With `probe`, each
  // file is first loaded and shut down in a child process (plugin_probe.h),
  // and only a file that survived that is loaded here; without it, files
  // load in this process alone (for callers that are not clinicd, which
  // cannot serve as the probe). A missing or empty directory gives an empty
  // registry (logged); each refusal is logged as "plugin FILE refused:
  // REASON" and the rest still load.
  // Plugins read `clock` as the host's time (the server's one clock).
  static std::unique_ptr<TreatmentRegistry> LoadDirectory(
      const std::string& directory, const Clock& clock = SystemClock(),
      const std::optional<ProbeOptions>& probe = std::nullopt);

  // The treatment type `treatmentTypes/{id}`, or null.
  const clinic::v1::TreatmentType* FindTreatmentType(const std::string& name) const;
  // Every treatment type, by name.
  std::vector<const clinic::v1::TreatmentType*> TreatmentTypes() const;
  // The recall policy `recallPolicies/{id}`, or null.
  const clinic::v1::RecallPolicy* FindRecallPolicy(const std::string& name) const;
  // Every recall policy, by name.
  std::vector<const clinic::v1::RecallPolicy*> RecallPolicies() const;
  // Every plugin file found, loaded or refused, in file-name order.
  const std::vector<clinic::v1::Plugin>& Plugins() const { return records_; }

  // Runs the owning plugin's screening evaluation for request.treatment_type.
  absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> EvaluateScreening(
      const clinicd::plugin::v1::EvaluateScreeningRequest& request) const;
  // Runs the owning plugin's series planning.
  absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> PlanSeries(
      const clinicd::plugin::v1::PlanSeriesRequest& request) const;
  // Runs the recall plugin that owns request.policy.
  absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> ScheduleRecall(
      const clinicd::plugin::v1::ScheduleRecallRequest& request) const;

 private:
  TreatmentRegistry() = default;

  // Adds a loaded plugin, or returns why its resources clash with others.
  absl::Status Add(std::unique_ptr<LoadedPlugin> plugin);

  template <typename Response>
  absl::StatusOr<Response> Run(const LoadedPlugin* plugin, clinicd_hook clinicd_plugin::*hook,
                               absl::string_view hook_name,
                               const google::protobuf::Message& request) const;

  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::vector<clinic::v1::Plugin> records_;
  std::map<std::string, std::pair<const clinic::v1::TreatmentType*, const LoadedPlugin*>>
      treatment_types_;
  std::map<std::string, std::pair<const clinic::v1::RecallPolicy*, const LoadedPlugin*>>
      recall_policies_;
};

}  // namespace clinicd::plugin_host
