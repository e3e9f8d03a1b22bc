// A plugin whose init dereferences a null pointer: the probe child dies of
// SIGSEGV, and the server must not.
#include "tests/plugin_fixtures/raw_plugin.h"

namespace {

int CrashingInit(const clinicd_host_api*, char*, size_t) {
  // Volatile on both sides, so the compiler can neither see the null (and
  // turn the store into a trap, SIGILL) nor drop the store as unused.
  volatile int* volatile nowhere = nullptr;
  *nowhere = 1;
  return CLINICD_OK;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  static clinicd_plugin plugin = [] {
    clinicd_plugin p = fixtures::MakePlugin("segfault_in_init");
    p.init = &CrashingInit;
    return p;
  }();
  return &plugin;
}
