#pragma once

// Plugin directories for the plugin-host tests: a temp directory filled with
// the bundled plugins and broken fixtures built in this tree, and the
// clinicd binary that probes them.

#include <string>

#include "clinic/v1/treatment_catalog_service.pb.h"
#include "services/plugin_host/treatment_registry.h"

namespace clinicd::plugin_host {

// The build tree (CLINICD_BINARY_DIR, set by CTest).
std::string BinaryDir();

// Probe options that run the clinicd binary built in this tree (a test
// binary cannot probe: /proc/self/exe would be the test itself).
ProbeOptions ProbeWithBuiltClinicd();

// A temp directory of plugin files, removed with this object.
class PluginDirectory final {
 public:
  PluginDirectory();
  ~PluginDirectory();
  PluginDirectory(const PluginDirectory&) = delete;
  PluginDirectory& operator=(const PluginDirectory&) = delete;

  // Copies a bundled plugin (build/plugins/NAME.so) in.
  void AddBundled(const std::string& name);
  // Copies a fixture (build/tests/plugin_fixtures/NAME.so) in as `as`.
  void AddFixture(const std::string& name, const std::string& as);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The record of the file named `file` (no directory), or null.
const clinic::v1::Plugin* RecordOf(const TreatmentRegistry& registry, const std::string& file);

}  // namespace clinicd::plugin_host
