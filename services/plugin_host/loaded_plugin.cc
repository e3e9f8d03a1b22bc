#include "services/plugin_host/loaded_plugin.h"

#include "absl/strings/str_cat.h"

namespace clinicd::plugin_host {

absl::StatusOr<std::string> CallHook(const clinicd_plugin& api, clinicd_hook hook,
                                     absl::string_view plugin_name,
                                     absl::string_view hook_name, const std::string& request) {
  if (hook == nullptr) {
    return absl::UnimplementedError(
        absl::StrCat("plugin `", plugin_name, "` does not provide ", hook_name));
  }
  clinicd_buffer out{nullptr, 0};
  char error[1024] = {0};
  int code = CLINICD_INTERNAL;
  // The C boundary forbids exceptions; a plugin built without the SDK's
  // guards that throws anyway is this hook's failure, not the server's.
  try {
    code = hook(reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out, error,
                sizeof(error));
  } catch (...) {
    if (out.data != nullptr) api.free_buffer(&out);
    return absl::InternalError(
        absl::StrCat("plugin `", plugin_name, "` ", hook_name, " threw across the C boundary"));
  }
  std::string bytes(reinterpret_cast<const char*>(out.data), out.data ? out.size : 0);
  if (out.data != nullptr) api.free_buffer(&out);
  error[sizeof(error) - 1] = '\0';
  switch (code) {
    case CLINICD_OK:
      return bytes;
    case CLINICD_INVALID_ARGUMENT:
      return absl::InvalidArgumentError(error);
    case CLINICD_UNIMPLEMENTED:
      return absl::UnimplementedError(
          absl::StrCat("plugin `", plugin_name, "` does not implement ", hook_name, ": ", error));
    default:
      return absl::InternalError(
          absl::StrCat("plugin `", plugin_name, "` ", hook_name, " failed: ", error));
  }
}

LoadedPlugin::LoadedPlugin(std::string file, SharedLibrary library, const clinicd_plugin* api,
                           std::unique_ptr<HostContext> host,
                           clinicd::plugin::v1::DescribeResponse description)
    : file_(std::move(file)),
      library_(std::move(library)),
      api_(api),
      host_(std::move(host)),
      description_(std::move(description)) {}

LoadedPlugin::~LoadedPlugin() {
  if (api_->shutdown != nullptr) api_->shutdown();
}

absl::StatusOr<std::string> LoadedPlugin::Call(clinicd_hook clinicd_plugin::*hook,
                                               absl::string_view hook_name,
                                               const std::string& request) const {
  return CallHook(*api_, api_->*hook, api_->name, hook_name, request);
}

}  // namespace clinicd::plugin_host
