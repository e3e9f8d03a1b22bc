// A plugin whose init refuses to start, written with the SDK.
#include "clinicd/plugin.h"

namespace {

class InitFails final : public clinicd::plugin_sdk::TreatmentPlugin {
 public:
  absl::Status Init(const clinicd::plugin_sdk::Host&) override {
    return absl::FailedPreconditionError("device calibration table missing");
  }
  clinicd::plugin::v1::DescribeResponse Describe() const override { return {}; }
};

}  // namespace

CLINICD_PLUGIN(InitFails, "init_fails", "0.0.1")
