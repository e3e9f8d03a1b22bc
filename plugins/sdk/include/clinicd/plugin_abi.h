/*
 * clinicd plugin ABI — the stable C boundary between clinicd and the shared
 * libraries that add treatment types.
 *
 * A plugin exports one function, `clinicd_plugin_entry`, returning a pointer
 * to a static `clinicd_plugin`. The host checks, in this order: the library
 * opens; the entry symbol exists; `struct_size` and `abi_version` match the
 * host's; the required fields are set; the name is not taken; `init`
 * succeeds. Any failure refuses the plugin (naming the file and the reason)
 * and closes the library; the server keeps serving with the others. Before
 * any of that, the host loads the file once in a child process that runs
 * `init`, `describe` and `shutdown`: a plugin that crashes, exits or hangs
 * there is refused by its file name, and never reaches the server.
 *
 * Data crosses the boundary as serialized protocol buffers of the shared
 * schema (package clinic.v1 and clinicd.plugin.v1): `describe` returns the
 * declarative protocol, and the hooks compute what data cannot express.
 *
 * Compatibility: the struct only grows at its end, into `reserved`; a new
 * field takes a reserved slot and bumps CLINICD_PLUGIN_ABI_VERSION only when
 * old plugins could not work with a new host.
 */
#ifndef CLINICD_PLUGIN_ABI_H_
#define CLINICD_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define CLINICD_PLUGIN_ABI_VERSION 1u

/* The symbol every plugin exports. */
#define CLINICD_PLUGIN_ENTRY_SYMBOL "clinicd_plugin_entry"

/* Log levels for clinicd_host_api.log. */
enum clinicd_log_level {
  CLINICD_LOG_DEBUG = 0,
  CLINICD_LOG_INFO = 1,
  CLINICD_LOG_WARN = 2,
  CLINICD_LOG_ERROR = 3
};

/* What the host offers a plugin; valid from init until shutdown returns. */
typedef struct clinicd_host_api {
  /* sizeof(clinicd_host_api) as the host compiled it. */
  uint32_t struct_size;
  /* CLINICD_PLUGIN_ABI_VERSION of the host. */
  uint32_t abi_version;
  /* Opaque host state passed back to every function below. */
  void* host;
  /* Writes one line to the server log, prefixed with the plugin's name.
     Never pass patient data. */
  void (*log)(void* host, int level, const char* message);
  /* The host's clock, microseconds since the Unix epoch (tests may fix it). */
  int64_t (*now_unix_micros)(void* host);
  /* Room to grow without breaking old plugins. */
  void* reserved[14];
} clinicd_host_api;

/* A byte buffer a plugin allocates and the host returns to free_buffer. */
typedef struct clinicd_buffer {
  uint8_t* data;
  size_t size;
} clinicd_buffer;

/* Result codes of the hooks. */
enum clinicd_status {
  CLINICD_OK = 0,
  /* The request was malformed; `error` says why. */
  CLINICD_INVALID_ARGUMENT = 1,
  /* The plugin failed; `error` says why. */
  CLINICD_INTERNAL = 2,
  /* The plugin does not implement this hook for this request. */
  CLINICD_UNIMPLEMENTED = 3
};

/* A hook: reads a serialized request, writes a serialized response into
   `out` (allocated by the plugin), or an error message into `error`. */
typedef int (*clinicd_hook)(const uint8_t* request, size_t request_size,
                            clinicd_buffer* out, char* error, size_t error_size);

/* What a plugin exports. Fields are append-only. */
typedef struct clinicd_plugin {
  /* sizeof(clinicd_plugin) as the plugin compiled it. Required. */
  uint32_t struct_size;
  /* CLINICD_PLUGIN_ABI_VERSION the plugin was built against. Required. */
  uint32_t abi_version;
  /* Unique name, lower_snake_case, e.g. "microneedling". Required. */
  const char* name;
  /* The plugin's own version, e.g. "1.0.0". Required. */
  const char* version;
  /* Called once after the checks; non-zero refuses the plugin with `error`.
     Required. */
  int (*init)(const clinicd_host_api* host, char* error, size_t error_size);
  /* Called once before the library is closed. Optional. */
  void (*shutdown)(void);
  /* Frees a buffer a hook returned. Required. */
  void (*free_buffer)(clinicd_buffer* buffer);
  /* Serialized clinicd.plugin.v1.DescribeResponse (request is empty):
     the treatment types and recall policies the plugin provides. Required. */
  clinicd_hook describe;
  /* clinicd.plugin.v1.EvaluateScreeningRequest → EvaluateScreeningResponse.
     Optional. */
  clinicd_hook evaluate_screening;
  /* clinicd.plugin.v1.PlanSeriesRequest → PlanSeriesResponse. Optional. */
  clinicd_hook plan_series;
  /* clinicd.plugin.v1.ScheduleRecallRequest → ScheduleRecallResponse.
     Optional. */
  clinicd_hook schedule_recall;
  /* Room to grow: new hooks take these slots, in order. Must be NULL. */
  void* reserved[16];
} clinicd_plugin;

/* The type of the exported entry function. */
typedef const clinicd_plugin* (*clinicd_plugin_entry_fn)(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* CLINICD_PLUGIN_ABI_H_ */
