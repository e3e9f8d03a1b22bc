#include "services/server/open_database.h"

#include "services/store/migrations.h"
#include "services/store/schema.h"

namespace clinicd::server {

absl::StatusOr<std::unique_ptr<store::Database>> OpenAndMigrate(
    const clinicd::config::v1::ServerConfig& config) {
  store::DatabaseOptions options;
  options.path = config.db();
  options.read_connections = config.read_connections();
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Open(options);
  if (!db.ok()) return db.status();
  if (absl::Status s = store::Migrate(**db, store::SchemaMigrations()); !s.ok()) return s;
  return db;
}

}  // namespace clinicd::server
