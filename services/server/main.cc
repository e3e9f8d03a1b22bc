// clinicd: the clinic practice-management server and its operator commands.
//
//   clinicd --listen=HOST:PORT --db=PATH --plugin_dir=DIR   serve
//   clinicd keys create|revoke|list --db=PATH ...           manage API keys
//   clinicd migrate --db=PATH                               update the schema
//   clinicd backup --db=PATH --to=FILE                      copy a live database
//   clinicd migrate-data --db=FILE --to=postgresql://...    move a clinic to PostgreSQL
//   clinicd plugins --plugin_dir=DIR                        check a plugin directory

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "services/plugin_host/plugin_probe.h"
#include "services/server/commands.h"
#include "services/server/server_config.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "clinic practice-management server.\n"
      "  clinicd --listen=HOST:PORT --db=PATH --plugin_dir=DIR   serve\n"
      "  clinicd keys create --db=PATH --role=ROLE [--clinic=ID]  new API key\n"
      "  clinicd keys revoke --db=PATH --key_id=ID                revoke a key\n"
      "  clinicd keys list --db=PATH                              list keys\n"
      "  clinicd migrate --db=PATH                                update schema\n"
      "  clinicd backup --db=PATH --to=FILE [--overwrite]         copy a live database\n"
      "  clinicd migrate-data --db=FILE --to=postgresql://...     move a clinic to PostgreSQL\n"
      "  clinicd plugins --plugin_dir=DIR                         check plugins");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());

  absl::StatusOr<clinicd::config::v1::ServerConfig> config =
      clinicd::server::LoadServerConfig();
  if (!config.ok()) {
    std::cerr << "clinicd: " << config.status().message() << "\n";
    return 2;
  }
  // Logs go to stderr; stdout is kept for command output.
  spdlog::set_default_logger(spdlog::stderr_color_mt("clinicd"));
  spdlog::set_level(spdlog::level::from_str(config->log_level()));

  if (args.empty()) return clinicd::server::ServeCommand(*config);
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "keys") return clinicd::server::KeysCommand(*config, args);
  if (command == "migrate") return clinicd::server::MigrateCommand(*config);
  if (command == "backup") return clinicd::server::BackupCommand(*config, args);
  if (command == "migrate-data") return clinicd::server::MigrateDataCommand(*config, args);
  if (command == "plugins") return clinicd::server::PluginsCommand(*config);
  // Not for people: clinicd runs itself this way to probe a plugin file in a
  // child process before loading it (services/plugin_host/plugin_probe.h).
  if (command == clinicd::plugin_host::kPluginProbeCommand) {
    return clinicd::plugin_host::RunPluginProbe(args);
  }
  std::cerr << "clinicd: unknown command `" << command << "`; see clinicd --help\n";
  return 2;
}
