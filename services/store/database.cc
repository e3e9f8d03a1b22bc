#include "services/store/database.h"

#include <utility>

#include "services/store/postgres_database.h"
#include "services/store/sqlite_database.h"

namespace clinicd::store {

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  if (IsPostgresAddress(options.path)) {
    absl::StatusOr<std::unique_ptr<PostgresDatabase>> postgres = PostgresDatabase::Open(options);
    if (!postgres.ok()) return postgres.status();
    return std::unique_ptr<Database>(*std::move(postgres));
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> sqlite = SqliteDatabase::Open(options);
  if (!sqlite.ok()) return sqlite.status();
  return std::unique_ptr<Database>(*std::move(sqlite));
}

}  // namespace clinicd::store
