#pragma once

// Helpers for the hand-written broken plugins: a plugin struct filled the
// way a correct one would be, which each fixture then breaks in one way.

#include "clinicd/plugin_abi.h"

namespace fixtures {

inline int NoInit(const clinicd_host_api*, char*, size_t) { return CLINICD_OK; }
inline void NoFree(clinicd_buffer*) {}
inline int EmptyDescribe(const uint8_t*, size_t, clinicd_buffer* out, char*, size_t) {
  out->data = nullptr;
  out->size = 0;
  return CLINICD_OK;
}

// A well-formed struct named `name`.
inline clinicd_plugin MakePlugin(const char* name) {
  clinicd_plugin plugin = {};
  plugin.struct_size = sizeof(clinicd_plugin);
  plugin.abi_version = CLINICD_PLUGIN_ABI_VERSION;
  plugin.name = name;
  plugin.version = "0.0.1";
  plugin.init = &NoInit;
  plugin.free_buffer = &NoFree;
  plugin.describe = &EmptyDescribe;
  return plugin;
}

}  // namespace fixtures
