#include "tests/plugin_host/plugin_directory.h"

#include <stdlib.h>

#include <filesystem>

namespace clinicd::plugin_host {

namespace fs = std::filesystem;

std::string BinaryDir() {
  const char* dir = getenv("CLINICD_BINARY_DIR");
  return dir != nullptr ? dir : ".";
}

ProbeOptions ProbeWithBuiltClinicd() {
  ProbeOptions options;
  options.program = BinaryDir() + "/services/server/clinicd";
  return options;
}

PluginDirectory::PluginDirectory() {
  char pattern[] = "/tmp/clinicd-plugins-XXXXXX";
  path_ = mkdtemp(pattern);
}

PluginDirectory::~PluginDirectory() { fs::remove_all(path_); }

void PluginDirectory::AddBundled(const std::string& name) {
  fs::copy_file(BinaryDir() + "/plugins/" + name + ".so", path_ + "/" + name + ".so");
}

void PluginDirectory::AddFixture(const std::string& name, const std::string& as) {
  fs::copy_file(BinaryDir() + "/tests/plugin_fixtures/" + name, path_ + "/" + as);
}

const clinic::v1::Plugin* RecordOf(const TreatmentRegistry& registry, const std::string& file) {
  for (const auto& plugin : registry.Plugins()) {
    if (fs::path(plugin.file()).filename() == file) return &plugin;
  }
  return nullptr;
}

}  // namespace clinicd::plugin_host
