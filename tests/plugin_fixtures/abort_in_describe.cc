// A plugin whose init succeeds and whose describe calls abort(), as a failed
// assertion would: the probe child dies of SIGABRT.
#include <cstdlib>

#include "tests/plugin_fixtures/raw_plugin.h"

namespace {

int AbortingDescribe(const uint8_t*, size_t, clinicd_buffer*, char*, size_t) { std::abort(); }

}  // namespace

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("abort_in_describe");
    p.describe = &AbortingDescribe;
    return p;
  }();
  return &plugin;
}
