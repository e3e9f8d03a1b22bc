#pragma once

// Loads one plugin file through the checks, in order: the library opens; it
// exports clinicd_plugin_entry; the struct is large enough to read, its ABI
// version and size match this host; the required fields are set and the
// reserved slots empty; the name is well-formed and not taken; init
// succeeds; describe returns a protocol that validates. The first failed
// check refuses the file with a reason naming it and the library is closed.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/plugin_host/loaded_plugin.h"

namespace clinicd::plugin_host {

// Returns the file that already uses a plugin name, if any.
using NameOwner = std::function<std::optional<std::string>(const std::string& name)>;

// The steps of loading in which the plugin's own code runs, in order. A
// probe reports each before it starts, so a crash can be placed in one.
enum class LoadStep {
  kOpen,      // dlopen (the library's static constructors) and the entry function
  kInit,      // the plugin's init
  kDescribe,  // its describe, and the host validating what it declared
  kShutdown,  // its shutdown and closing the library (static destructors)
};

// "open", "init", "describe" or "shutdown".
const char* LoadStepName(LoadStep step);

// Told of each step just before it runs.
using LoadStepObserver = std::function<void(LoadStep step)>;

// The loaded plugin, or FAILED_PRECONDITION whose message is the refusal
// reason (without the file name, which the caller reports beside it).
// The plugin reads `clock` as the host's time. `observe` (when set) hears
// of every step before it runs, kShutdown included when a refusal after init
// shuts the plugin down.
absl::StatusOr<std::unique_ptr<LoadedPlugin>> LoadPluginFile(
    const std::string& path, const NameOwner& name_owner, const Clock& clock,
    const LoadStepObserver& observe = nullptr);

}  // namespace clinicd::plugin_host
