// A plugin built against a future ABI version 2.
#include "tests/plugin_fixtures/raw_plugin.h"

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("wrong_abi");
    p.abi_version = 2;
    return p;
  }();
  return &plugin;
}
