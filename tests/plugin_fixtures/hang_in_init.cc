// A plugin whose init never returns (waiting on a device that never
// answers): the probe is killed at its deadline.
#include <unistd.h>

#include "tests/plugin_fixtures/raw_plugin.h"

namespace {

int HangingInit(const clinicd_host_api*, char*, size_t) {
  while (true) pause();
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("hang_in_init");
    p.init = &HangingInit;
    return p;
  }();
  return &plugin;
}
