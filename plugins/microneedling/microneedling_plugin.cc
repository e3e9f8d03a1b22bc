// The microneedling plugin: declares the protocol of microneedling_protocol.cc
// and relies on the SDK's declared-rule semantics for screening and series
// planning, so its hooks are the TreatmentPlugin defaults.

#include "clinicd/plugin.h"
#include "plugins/microneedling/microneedling_protocol.h"

namespace clinicd::plugins::microneedling {

class MicroneedlingPlugin final : public plugin_sdk::TreatmentPlugin {
 public:
  MicroneedlingPlugin() { *describe_.add_treatment_types() = MicroneedlingProtocol(); }

  absl::Status Init(const plugin_sdk::Host& host) override {
    host.Log(CLINICD_LOG_INFO, "microneedling protocol v1 ready");
    return absl::OkStatus();
  }

  clinicd::plugin::v1::DescribeResponse Describe() const override { return describe_; }

 private:
  // Built once; the protocol is constant for the library's lifetime.
  clinicd::plugin::v1::DescribeResponse describe_;
};

}  // namespace clinicd::plugins::microneedling

CLINICD_PLUGIN(clinicd::plugins::microneedling::MicroneedlingPlugin, "microneedling", "1.0.0")
