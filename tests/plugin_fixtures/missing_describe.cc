// A plugin that forgot its required describe hook.
#include "tests/plugin_fixtures/raw_plugin.h"

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("missing_describe");
    p.describe = nullptr;
    return p;
  }();
  return &plugin;
}
