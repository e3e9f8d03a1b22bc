// A plugin built against an older, shorter plugin struct (no hooks, no
// reserved slots): its struct_size says 40 bytes.
#include <cstdint>

#include "clinicd/plugin_abi.h"

namespace {

struct OldPlugin {
  uint32_t struct_size;
  uint32_t abi_version;
  const char* name;
  const char* version;
  void* init;
  void* shutdown;
};
static_assert(sizeof(OldPlugin) == 40, "the fixture models a 40-byte struct");

const OldPlugin kPlugin = {sizeof(OldPlugin), CLINICD_PLUGIN_ABI_VERSION, "truncated", "0.0.1",
                           nullptr, nullptr};

}  // namespace

// The entry function has the type the host calls it through (calling through
// a pointer of another type is undefined, and UBSan's -fsanitize=function
// says so); only the struct behind it is the old, short one.
extern "C" __attribute__((visibility("default"))) const clinicd_plugin* clinicd_plugin_entry() {
  return reinterpret_cast<const clinicd_plugin*>(&kPlugin);
}
