#include <iostream>

#include "services/server/commands.h"
#include "services/store/database.h"
#include "services/store/migrations.h"
#include "services/store/schema.h"

namespace clinicd::server {

int MigrateCommand(const clinicd::config::v1::ServerConfig& config) {
  store::DatabaseOptions options;
  options.path = config.db();
  options.read_connections = 1;
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Open(options);
  absl::Status status = db.status();
  absl::StatusOr<absl::Span<const store::Migration>> pending;
  if (status.ok()) {
    pending = store::PendingMigrations(**db, store::SchemaMigrations());
    status = pending.status();
  }
  if (status.ok()) {
    for (const store::Migration& migration : *pending) {
      std::cout << "applying " << migration.version << ": " << migration.description
                << "\n";
    }
    status = store::Migrate(**db, store::SchemaMigrations());
  }
  if (!status.ok()) {
    std::cerr << "clinicd migrate: " << status.message() << "\n";
    return 1;
  }
  absl::StatusOr<int> version = (*db)->UserVersion();
  std::cout << store::AddressForLogs(config.db()) << ": schema version " << version.value_or(-1)
            << (pending->empty() ? " (already up to date)" : "") << std::endl;
  return 0;
}

}  // namespace clinicd::server
