// The maintenance recall plugin: declares one recall policy and no treatment
// types; the SDK's default ScheduleRecall turns it into due, lapse and
// notice times.

#include "clinicd/plugin.h"
#include "plugins/maintenance_recall/maintenance_recall_policy.h"

namespace clinicd::plugins::maintenance_recall {

class MaintenanceRecallPlugin final : public plugin_sdk::TreatmentPlugin {
 public:
  MaintenanceRecallPlugin() { *describe_.add_recall_policies() = MaintenanceRecallPolicy(); }

  absl::Status Init(const plugin_sdk::Host& host) override {
    host.Log(CLINICD_LOG_INFO, "maintenance recall policy v1 ready");
    return absl::OkStatus();
  }

  clinicd::plugin::v1::DescribeResponse Describe() const override { return describe_; }

 private:
  // Built once; the policy is constant for the library's lifetime.
  clinicd::plugin::v1::DescribeResponse describe_;
};

}  // namespace clinicd::plugins::maintenance_recall

CLINICD_PLUGIN(clinicd::plugins::maintenance_recall::MaintenanceRecallPlugin, "maintenance_recall",
               "1.0.0")
