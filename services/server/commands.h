#pragma once

// clinicd's commands. Each returns the process exit code and prints its
// result on stdout, problems on stderr.

#include <string>
#include <vector>

#include "clinicd/config/v1/server_config.pb.h"

namespace clinicd::server {

// `clinicd [flags]`: serves until SIGTERM or SIGINT, then drains and exits.
int ServeCommand(const clinicd::config::v1::ServerConfig& config);

// `clinicd keys create|revoke|list`: manages API keys in the database.
int KeysCommand(const clinicd::config::v1::ServerConfig& config,
                const std::vector<std::string>& args);

// `clinicd plugins`: loads the plugin directory, prints each file as LOADED
// or REFUSED with its reason; exit code 1 when any was refused.
int PluginsCommand(const clinicd::config::v1::ServerConfig& config);

// `clinicd migrate`: brings the database schema up to date and says what it did.
int MigrateCommand(const clinicd::config::v1::ServerConfig& config);

// `clinicd backup --db=PATH --to=FILE [--overwrite]`: copies the database,
// live or not, into FILE (mode 0600) after checking the copy's integrity.
// Exit code 0 when FILE holds the whole checked copy; 1 when nothing was
// written to FILE (it exists, the database cannot be read, the copy failed
// its check); 2 for bad usage.
int BackupCommand(const clinicd::config::v1::ServerConfig& config,
                  const std::vector<std::string>& args);

// `clinicd migrate-data --db=SQLITE_FILE --to=postgresql://...`: copies a
// clinic (every table, ids, etags, the event feed's numbers, keys and
// secrets) into an empty PostgreSQL database, all or nothing. Exit code 0
// when copied; 1 when nothing was (the target holds clinics, a schema
// differs, a connection failed); 2 for bad usage.
int MigrateDataCommand(const clinicd::config::v1::ServerConfig& config,
                       const std::vector<std::string>& args);

}  // namespace clinicd::server
