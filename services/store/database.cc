#include "services/store/database.h"

#include <utility>

#include "services/store/sqlite_database.h"

namespace clinicd::store {

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> sqlite = SqliteDatabase::Open(options);
  if (!sqlite.ok()) return sqlite.status();
  return std::unique_ptr<Database>(*std::move(sqlite));
}

}  // namespace clinicd::store
