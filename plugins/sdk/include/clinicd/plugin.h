#pragma once

// The C++ way to write a clinicd plugin: derive from TreatmentPlugin,
// override what you provide, and export it with one line:
//
//   CLINICD_PLUGIN(MyPlugin, "my_plugin", "1.0.0")
//
// The macro builds the versioned C struct of plugin_abi.h and the exported
// entry function; messages cross the boundary serialized, and no C++
// exception or object ever does.

#include <cstring>
#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clinicd/plugin/v1/plugin.pb.h"
#include "clinicd/plugin_abi.h"

namespace clinicd::plugin_sdk {

// What the host lends the plugin: logging and a clock.
class Host final {
 public:
  explicit Host(const clinicd_host_api* api) : api_(api) {}

  // Logs one line in the server log (never patient data).
  void Log(int level, const std::string& message) const {
    if (api_ != nullptr && api_->log != nullptr) api_->log(api_->host, level, message.c_str());
  }

  // The host's current time.
  absl::Time Now() const {
    if (api_ == nullptr || api_->now_unix_micros == nullptr) return absl::Now();
    return absl::FromUnixMicros(api_->now_unix_micros(api_->host));
  }

 private:
  const clinicd_host_api* api_;
};

// Base class of a plugin; one instance lives for the library's lifetime.
class TreatmentPlugin {
 public:
  virtual ~TreatmentPlugin() = default;

  // Called once at load; an error refuses the plugin.
  virtual absl::Status Init(const Host& host) {
    (void)host;
    return absl::OkStatus();
  }

  // The treatment types and recall policies provided.
  virtual clinicd::plugin::v1::DescribeResponse Describe() const = 0;

  // Evaluates screening answers; by default, the declared rules.
  virtual absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse> EvaluateScreening(
      const clinicd::plugin::v1::EvaluateScreeningRequest& request) const;

  // Plans a series; by default, from the declared series rule.
  virtual absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> PlanSeries(
      const clinicd::plugin::v1::PlanSeriesRequest& request) const;

  // Schedules a recall; by default, from the declared policy.
  virtual absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> ScheduleRecall(
      const clinicd::plugin::v1::ScheduleRecallRequest& request) const;
};

namespace internal {

// Copies `message` into a buffer the host later frees with FreeBuffer.
void FillBuffer(const std::string& bytes, clinicd_buffer* out);
// Frees a buffer made by FillBuffer.
void FreeBuffer(clinicd_buffer* buffer);
// Writes `message` into the host's error buffer, truncated and terminated.
void WriteError(const std::string& message, char* error, size_t error_size);
// Maps an absl::Status to a clinicd_status code.
int StatusCode(const absl::Status& status);

// Runs `body` (a thunk's work) so that nothing it throws crosses the C
// boundary: an exception becomes CLINICD_INTERNAL with its message in `error`.
template <typename Body>
int Guarded(char* error, size_t error_size, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    WriteError(std::string("the plugin threw: ") + e.what(), error, error_size);
  } catch (...) {
    WriteError("the plugin threw", error, error_size);
  }
  return CLINICD_INTERNAL;
}

// Runs `method` of `plugin` over a serialized request.
template <typename Request, typename Response>
int RunHook(const TreatmentPlugin* plugin,
            absl::StatusOr<Response> (TreatmentPlugin::*method)(const Request&) const,
            const uint8_t* request, size_t request_size, clinicd_buffer* out,
            char* error, size_t error_size) noexcept {
  return Guarded(error, error_size, [&]() -> int {
  Request parsed;
  if (!parsed.ParseFromArray(request, static_cast<int>(request_size))) {
    WriteError("request is not a valid " + parsed.GetTypeName(), error, error_size);
    return CLINICD_INVALID_ARGUMENT;
  }
  absl::StatusOr<Response> response = (plugin->*method)(parsed);
  if (!response.ok()) {
    WriteError(std::string(response.status().message()), error, error_size);
    return StatusCode(response.status());
  }
  FillBuffer(response->SerializeAsString(), out);
  return CLINICD_OK;
  });
}

}  // namespace internal
}  // namespace clinicd::plugin_sdk

// Exports `Class` (a TreatmentPlugin) as plugin `name`, version `version`.
#define CLINICD_PLUGIN(Class, plugin_name, plugin_version)                               \
  namespace {                                                                            \
  Class& ClinicdPluginInstance() {                                                       \
    static Class instance;                                                               \
    return instance;                                                                     \
  }                                                                                      \
  int ClinicdPluginInit(const clinicd_host_api* host, char* error, size_t error_size) {  \
    return ::clinicd::plugin_sdk::internal::Guarded(error, error_size, [&]() -> int {    \
      absl::Status status = ClinicdPluginInstance().Init(::clinicd::plugin_sdk::Host(host)); \
      if (status.ok()) return CLINICD_OK;                                                \
      ::clinicd::plugin_sdk::internal::WriteError(std::string(status.message()), error,  \
                                                  error_size);                           \
      return ::clinicd::plugin_sdk::internal::StatusCode(status);                        \
    });                                                                                  \
  }                                                                                      \
  int ClinicdPluginDescribe(const uint8_t*, size_t, clinicd_buffer* out, char* e,        \
                            size_t en) {                                                 \
    return ::clinicd::plugin_sdk::internal::Guarded(e, en, [&]() -> int {                \
      ::clinicd::plugin_sdk::internal::FillBuffer(                                       \
          ClinicdPluginInstance().Describe().SerializeAsString(), out);                  \
      return CLINICD_OK;                                                                 \
    });                                                                                  \
  }                                                                                      \
  int ClinicdPluginEvaluate(const uint8_t* r, size_t n, clinicd_buffer* out, char* e,    \
                            size_t en) {                                                 \
    return ::clinicd::plugin_sdk::internal::RunHook(                                     \
        &ClinicdPluginInstance(), &::clinicd::plugin_sdk::TreatmentPlugin::EvaluateScreening, \
        r, n, out, e, en);                                                               \
  }                                                                                      \
  int ClinicdPluginPlan(const uint8_t* r, size_t n, clinicd_buffer* out, char* e,        \
                        size_t en) {                                                     \
    return ::clinicd::plugin_sdk::internal::RunHook(                                     \
        &ClinicdPluginInstance(), &::clinicd::plugin_sdk::TreatmentPlugin::PlanSeries, r, n, \
        out, e, en);                                                                     \
  }                                                                                      \
  int ClinicdPluginRecall(const uint8_t* r, size_t n, clinicd_buffer* out, char* e,      \
                          size_t en) {                                                   \
    return ::clinicd::plugin_sdk::internal::RunHook(                                     \
        &ClinicdPluginInstance(), &::clinicd::plugin_sdk::TreatmentPlugin::ScheduleRecall, \
        r, n, out, e, en);                                                               \
  }                                                                                      \
  const clinicd_plugin kClinicdPlugin = {                                                \
      sizeof(clinicd_plugin), CLINICD_PLUGIN_ABI_VERSION, plugin_name, plugin_version,   \
      &ClinicdPluginInit, nullptr, &::clinicd::plugin_sdk::internal::FreeBuffer,         \
      &ClinicdPluginDescribe, &ClinicdPluginEvaluate, &ClinicdPluginPlan,                \
      &ClinicdPluginRecall, {}};                                                         \
  }                                                                                      \
  extern "C" __attribute__((visibility("default"))) const clinicd_plugin*                \
  clinicd_plugin_entry(void) {                                                           \
    return &kClinicdPlugin;                                                              \
  }
