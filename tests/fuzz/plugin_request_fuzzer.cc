// Fuzzes the plugins' side of the boundary: the bundled plugins, loaded from
// the build tree as clinicd loads them, read request bytes through the SDK's
// hooks (plugins/sdk: parse, then the declared protocol rules). An input is
//   byte 0      the plugin and hook (bundled plugins x evaluate screening,
//               plan series, schedule recall)
//   the rest    the serialized request the host would send
// Beyond crashes and sanitizer reports, a hook must never throw: the SDK's
// guard answers a throw with "the plugin threw", which fails the fuzzer.

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "clinicd/plugin_abi.h"

namespace {

const char* const kBundledPlugins[] = {"microneedling.so", "maintenance_recall.so"};

// Opens and initialises each bundled plugin once; aborts when one will not.
std::vector<const clinicd_plugin*> LoadPlugins() {
  static clinicd_host_api host{};
  host.struct_size = sizeof(clinicd_host_api);
  host.abi_version = CLINICD_PLUGIN_ABI_VERSION;
  std::vector<const clinicd_plugin*> plugins;
  for (const char* file : kBundledPlugins) {
    const std::string path = std::string(CLINICD_FUZZ_PLUGIN_DIR) + "/" + file;
    // As the host opens plugins (plugin_host/shared_library.cc).
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    auto entry = library == nullptr ? nullptr
                                    : reinterpret_cast<clinicd_plugin_entry_fn>(
                                          dlsym(library, CLINICD_PLUGIN_ENTRY_SYMBOL));
    const clinicd_plugin* api = entry == nullptr ? nullptr : entry();
    char error[1024] = {0};
    if (api == nullptr || api->init(&host, error, sizeof(error)) != CLINICD_OK) {
      std::fprintf(stderr, "plugin_request_fuzzer: cannot load %s: %s %s\n", path.c_str(),
                   library == nullptr ? dlerror() : "", error);
      std::abort();
    }
    plugins.push_back(api);
  }
  return plugins;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return -1;
  static const std::vector<const clinicd_plugin*> plugins = LoadPlugins();
  const clinicd_plugin* api = plugins[(data[0] / 3) % plugins.size()];
  const clinicd_hook hooks[] = {api->evaluate_screening, api->plan_series, api->schedule_recall};
  const clinicd_hook hook = hooks[data[0] % 3];
  if (hook == nullptr) return -1;

  clinicd_buffer out{nullptr, 0};
  char error[1024] = {0};
  const int code = hook(data + 1, size - 1, &out, error, sizeof(error));
  if (out.data != nullptr) api->free_buffer(&out);
  if (code == CLINICD_INTERNAL && std::strncmp(error, "the plugin threw", 16) == 0) {
    std::fprintf(stderr, "plugin_request_fuzzer: %s: %s\n", api->name, error);
    std::abort();
  }
  return 0;
}
