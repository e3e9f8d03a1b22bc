// A plugin that claims the name of the bundled microneedling plugin. Its file
// sorts after microneedling.so, so the real one loads first.
#include "tests/plugin_fixtures/raw_plugin.h"

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = fixtures::MakePlugin("microneedling");
  return &plugin;
}
