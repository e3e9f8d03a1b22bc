#include <iostream>

#include "absl/strings/str_join.h"
#include "services/plugin_host/treatment_registry.h"
#include "services/server/commands.h"

namespace clinicd::server {

int PluginsCommand(const clinicd::config::v1::ServerConfig& config) {
  // Each file is probed in a child process first, as the server does, so a
  // plugin that crashes is named and refused instead of ending this command.
  std::unique_ptr<plugin_host::TreatmentRegistry> registry =
      plugin_host::TreatmentRegistry::LoadDirectory(config.plugin_dir(), SystemClock(),
                                                    plugin_host::ProbeOptions());
  bool all_loaded = true;
  for (const clinic::v1::Plugin& plugin : registry->Plugins()) {
    if (plugin.state() == clinic::v1::PLUGIN_STATE_LOADED) {
      std::vector<std::string> provides(plugin.treatment_types().begin(),
                                        plugin.treatment_types().end());
      provides.insert(provides.end(), plugin.recall_policies().begin(),
                      plugin.recall_policies().end());
      std::cout << "LOADED   " << plugin.file() << "  " << plugin.name() << " "
                << plugin.version() << "  provides " << absl::StrJoin(provides, ", ") << "\n";
    } else {
      all_loaded = false;
      std::cout << "REFUSED  " << plugin.file() << "  " << plugin.refusal_reason() << "\n";
    }
  }
  std::cout << registry->Plugins().size() << " plugin file(s) in " << config.plugin_dir()
            << std::endl;
  return all_loaded ? 0 : 1;
}

}  // namespace clinicd::server
