// The SDK's C boundary: whatever a plugin's C++ throws stays on its side and
// reaches the host as that hook's CLINICD_INTERNAL error with a message.

#include <stdexcept>
#include <string>

#include "clinicd/plugin.h"
#include "gtest/gtest.h"

namespace clinicd::plugin_sdk {
namespace {

class Throwing final : public TreatmentPlugin {
 public:
  clinicd::plugin::v1::DescribeResponse Describe() const override { return {}; }
  absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> EvaluateScreening(
      const clinicd::plugin::v1::EvaluateScreeningRequest&) const override {
    throw std::runtime_error("lookup table missing");
  }
  absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> PlanSeries(
      const clinicd::plugin::v1::PlanSeriesRequest&) const override {
    throw 7;
  }
};

TEST(SdkBoundaryTest, AThrowingHookIsAnInternalErrorWithItsMessage) {
  const Throwing plugin;
  const std::string request = clinicd::plugin::v1::EvaluateScreeningRequest().SerializeAsString();
  clinicd_buffer out{nullptr, 0};
  char error[256] = {0};
  const int code = internal::RunHook(
      static_cast<const TreatmentPlugin*>(&plugin), &TreatmentPlugin::EvaluateScreening,
      reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out, error,
      sizeof(error));
  EXPECT_EQ(code, CLINICD_INTERNAL);
  EXPECT_EQ(std::string(error), "the plugin threw: lookup table missing");
  EXPECT_EQ(out.data, nullptr);

  const int other = internal::RunHook(
      static_cast<const TreatmentPlugin*>(&plugin), &TreatmentPlugin::PlanSeries,
      reinterpret_cast<const uint8_t*>(request.data()), 0, &out, error, sizeof(error));
  EXPECT_EQ(other, CLINICD_INTERNAL);
  EXPECT_EQ(std::string(error), "the plugin threw");
}

TEST(SdkBoundaryTest, GuardedPassesTheBodysCodeThrough) {
  char error[16] = {0};
  EXPECT_EQ(internal::Guarded(error, sizeof(error), [] { return CLINICD_OK; }), CLINICD_OK);
  EXPECT_EQ(internal::Guarded(error, sizeof(error), []() -> int { throw std::bad_alloc(); }),
            CLINICD_INTERNAL);
  EXPECT_EQ(std::string(error).rfind("the plugin thr", 0), 0u) << "truncated to the buffer";
}

}  // namespace
}  // namespace clinicd::plugin_sdk
