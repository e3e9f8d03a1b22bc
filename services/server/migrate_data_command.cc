#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/store/data_copy.h"
#include "services/store/database.h"
#include "services/store/migrations.h"
#include "services/store/postgres_database.h"
#include "services/store/schema.h"

namespace clinicd::server {
namespace {

constexpr char kUsage[] =
    "usage: clinicd migrate-data --db=SQLITE_FILE --to=postgresql://...\n"
    "  copies a clinic's SQLite database into an empty PostgreSQL database;\n"
    "  stop the clinicd serving the file first\n";

// Opens `path` and brings its schema up to date.
absl::StatusOr<std::unique_ptr<store::Database>> OpenMigrated(const std::string& path) {
  store::DatabaseOptions options;
  options.path = path;
  options.read_connections = 1;
  options.write_connections = 1;
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Open(options);
  if (!db.ok()) return db.status();
  if (absl::Status s = store::Migrate(**db, store::SchemaMigrations()); !s.ok()) return s;
  return db;
}

int Fail(const absl::Status& status) {
  std::cerr << "clinicd migrate-data: " << status.message() << "\n";
  return 1;
}

}  // namespace

int MigrateDataCommand(const clinicd::config::v1::ServerConfig& config,
                       const std::vector<std::string>& args) {
  const std::string target = absl::GetFlag(FLAGS_to);
  if (!args.empty() || config.db().empty() || store::IsPostgresAddress(config.db()) ||
      !store::IsPostgresAddress(target)) {
    std::cerr << kUsage;
    return 2;
  }
  absl::StatusOr<std::unique_ptr<store::Database>> from = OpenMigrated(config.db());
  if (!from.ok()) return Fail(from.status());
  absl::StatusOr<std::unique_ptr<store::Database>> to = OpenMigrated(target);
  if (!to.ok()) return Fail(to.status());
  absl::StatusOr<std::vector<store::CopiedTable>> copied = store::CopyClinicData(**from, **to);
  if (!copied.ok()) return Fail(copied.status());
  int64_t total = 0;
  for (const store::CopiedTable& table : *copied) {
    std::cout << "  " << table.table << ": " << table.rows << "\n";
    total += table.rows;
  }
  std::cout << config.db() << " -> " << (*to)->path() << ": " << total
            << " rows copied in one transaction" << std::endl;
  return 0;
}

}  // namespace clinicd::server
