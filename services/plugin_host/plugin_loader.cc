#include "services/plugin_host/plugin_loader.h"

#include <spdlog/spdlog.h>

#include <cstddef>

#include "absl/strings/str_cat.h"
#include "services/common/resource_name.h"
#include "services/domain/protocol_validation.h"

namespace clinicd::plugin_host {
namespace {

absl::Status Refuse(const std::string& reason) {
  return absl::FailedPreconditionError(reason);
}

void HostLog(void* host, int level, const char* message) {
  const auto* context = static_cast<const HostContext*>(host);
  const std::string text = message != nullptr ? message : "";
  switch (level) {
    case CLINICD_LOG_DEBUG:
      spdlog::debug("plugin {}: {}", context->plugin_name, text);
      break;
    case CLINICD_LOG_WARN:
      spdlog::warn("plugin {}: {}", context->plugin_name, text);
      break;
    case CLINICD_LOG_ERROR:
      spdlog::error("plugin {}: {}", context->plugin_name, text);
      break;
    default:
      spdlog::info("plugin {}: {}", context->plugin_name, text);
  }
}

int64_t HostNow(void* host) {
  return absl::ToUnixMicros(static_cast<const HostContext*>(host)->clock->Now());
}

// The first required field that is not set, or null.
const char* MissingRequiredField(const clinicd_plugin& api) {
  if (api.name == nullptr) return "name";
  if (api.version == nullptr) return "version";
  if (api.init == nullptr) return "init";
  if (api.free_buffer == nullptr) return "free_buffer";
  if (api.describe == nullptr) return "describe";
  return nullptr;
}

}  // namespace

const char* LoadStepName(LoadStep step) {
  switch (step) {
    case LoadStep::kOpen:
      return "open";
    case LoadStep::kInit:
      return "init";
    case LoadStep::kDescribe:
      return "describe";
    case LoadStep::kShutdown:
      return "shutdown";
  }
  return "an unknown step";
}

absl::StatusOr<std::unique_ptr<LoadedPlugin>> LoadPluginFile(const std::string& path,
                                                             const NameOwner& name_owner,
                                                             const Clock& clock,
                                                             const LoadStepObserver& observe) {
  auto step = [&observe](LoadStep next) {
    if (observe) observe(next);
  };
  step(LoadStep::kOpen);
  absl::StatusOr<SharedLibrary> library = SharedLibrary::Open(path);
  if (!library.ok()) return Refuse(absl::StrCat("cannot open: ", library.status().message()));

  auto entry = reinterpret_cast<clinicd_plugin_entry_fn>(library->Find(CLINICD_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    return Refuse(absl::StrCat("no entry symbol `", CLINICD_PLUGIN_ENTRY_SYMBOL,
                               "` (export one with CLINICD_PLUGIN)"));
  }
  const clinicd_plugin* api = entry();
  if (api == nullptr) return Refuse("the entry function returned no plugin");

  // struct_size and abi_version are the first 8 bytes; read nothing more
  // until both are known to match this host.
  constexpr uint32_t kHeaderSize = offsetof(clinicd_plugin, abi_version) + sizeof(uint32_t);
  if (api->struct_size < kHeaderSize) {
    return Refuse(absl::StrCat("plugin struct is truncated: ", api->struct_size,
                               " bytes, too small to hold its ABI version"));
  }
  if (api->abi_version != CLINICD_PLUGIN_ABI_VERSION) {
    return Refuse(absl::StrCat("ABI version ", api->abi_version, ", expected ",
                               CLINICD_PLUGIN_ABI_VERSION,
                               " (rebuild the plugin against this clinicd's plugin_abi.h)"));
  }
  if (api->struct_size != sizeof(clinicd_plugin)) {
    return Refuse(absl::StrCat("plugin struct is ", api->struct_size, " bytes, expected ",
                               sizeof(clinicd_plugin), " (built against a different plugin_abi.h)"));
  }
  if (const char* missing = MissingRequiredField(*api)) {
    return Refuse(absl::StrCat("required field `", missing, "` is not set"));
  }
  for (size_t i = 0; i < sizeof(api->reserved) / sizeof(api->reserved[0]); ++i) {
    if (api->reserved[i] != nullptr) {
      return Refuse(absl::StrCat("reserved slot ", i, " is set; reserved slots must be NULL"));
    }
  }
  const std::string name = api->name;
  if (!IsValidResourceId(name) || name.find('-') != std::string::npos) {
    return Refuse(absl::StrCat("name `", name, "` must be lower_snake_case"));
  }
  if (std::optional<std::string> owner = name_owner(name)) {
    return Refuse(absl::StrCat("name `", name, "` is already taken by ", *owner));
  }

  auto host = std::make_unique<HostContext>();
  host->clock = &clock;
  host->plugin_name = name;
  host->api.struct_size = sizeof(clinicd_host_api);
  host->api.abi_version = CLINICD_PLUGIN_ABI_VERSION;
  host->api.host = host.get();
  host->api.log = &HostLog;
  host->api.now_unix_micros = &HostNow;
  char error[1024] = {0};
  step(LoadStep::kInit);
  if (api->init(&host->api, error, sizeof(error)) != CLINICD_OK) {
    error[sizeof(error) - 1] = '\0';
    return Refuse(absl::StrCat("init failed: ", error[0] ? error : "no reason given"));
  }

  // From here on the plugin is initialised: shut it down on any refusal.
  auto shutdown = [api, &step] {
    step(LoadStep::kShutdown);
    if (api->shutdown != nullptr) api->shutdown();
  };
  step(LoadStep::kDescribe);
  absl::StatusOr<std::string> bytes = CallHook(*api, api->describe, name, "describe", "");
  clinicd::plugin::v1::DescribeResponse description;
  absl::Status problem;
  if (!bytes.ok()) {
    problem = Refuse(absl::StrCat("describe failed: ", bytes.status().message()));
  } else if (!description.ParseFromString(*bytes)) {
    problem = Refuse("describe returned bytes that are not a DescribeResponse");
  } else if (absl::Status valid = domain::ValidatePluginDescription(name, description);
             !valid.ok()) {
    problem = Refuse(absl::StrCat("describe: ", valid.message()));
  }
  if (!problem.ok()) {
    shutdown();
    return problem;
  }
  return std::make_unique<LoadedPlugin>(path, *std::move(library), api, std::move(host),
                                        std::move(description));
}

}  // namespace clinicd::plugin_host
