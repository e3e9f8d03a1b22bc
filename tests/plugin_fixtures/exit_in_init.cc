// A plugin whose init ends the process with exit(0), as a library that
// "handles" a missing file might: status 0, but the host is gone all the same.
#include <cstdlib>

#include "tests/plugin_fixtures/raw_plugin.h"

namespace {

int ExitingInit(const clinicd_host_api*, char*, size_t) { std::exit(0); }

}  // namespace

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("exit_in_init");
    p.init = &ExitingInit;
    return p;
  }();
  return &plugin;
}
