#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clinicd/plugin/v1/plugin.pb.h"
#include "clinicd/plugin_abi.h"
#include "services/plugin_host/shared_library.h"
#include "services/common/clock.h"

namespace clinicd::plugin_host {

// Host state a plugin's host API calls come back with.
struct HostContext {
  std::string plugin_name;
  // The server's clock, which the plugin reads through api.now_unix_micros.
  const Clock* clock = nullptr;
  clinicd_host_api api{};
};

// A plugin that passed every check: its library, its exported struct, and
// what it declared. Shuts the plugin down and closes the library on
// destruction. Hooks may be called from many threads at once.
class LoadedPlugin final {
 public:
  LoadedPlugin(std::string file, SharedLibrary library, const clinicd_plugin* api,
               std::unique_ptr<HostContext> host,
               clinicd::plugin::v1::DescribeResponse description);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  // The plugin's declared name and version, and the file it came from.
  std::string name() const { return api_->name; }
  std::string version() const { return api_->version; }
  const std::string& file() const { return file_; }
  // The treatment types and recall policies it provides.
  const clinicd::plugin::v1::DescribeResponse& description() const { return description_; }

  // Runs `hook` (one of api's hook pointers) over a serialized request; a
  // hook the plugin does not provide is UNIMPLEMENTED.
  absl::StatusOr<std::string> Call(clinicd_hook clinicd_plugin::*hook, absl::string_view hook_name,
                                   const std::string& request) const;

 private:
  std::string file_;
  SharedLibrary library_;
  const clinicd_plugin* api_;
  std::unique_ptr<HostContext> host_;
  clinicd::plugin::v1::DescribeResponse description_;
};

// Calls a hook of a plugin that is not yet a LoadedPlugin (used for describe
// during loading). Frees the plugin's buffer in every case.
absl::StatusOr<std::string> CallHook(const clinicd_plugin& api, clinicd_hook hook,
                                     absl::string_view plugin_name,
                                     absl::string_view hook_name, const std::string& request);

}  // namespace clinicd::plugin_host
