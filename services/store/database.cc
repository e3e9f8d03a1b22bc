#include "services/store/database.h"

#include <utility>

#include "services/store/postgres_database.h"
#include "services/store/schema_version.h"
#include "services/store/sqlite_database.h"

namespace clinicd::store {

std::string AddressForLogs(absl::string_view uri) {
  if (!IsPostgresAddress(uri)) return std::string(uri);
  std::string shown(uri);
  // postgresql://user:secret@host/...
  const size_t scheme = shown.find("://");
  const size_t at = shown.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    const size_t colon = shown.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  // ...?password=secret&...
  const size_t password = shown.find("password=");
  if (password != std::string::npos) {
    const size_t end = shown.find('&', password);
    shown.replace(password + 9, (end == std::string::npos ? shown.size() : end) - password - 9,
                  "***");
  }
  return shown;
}

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

absl::StatusOr<int> Database::UserVersion() const {
  int64_t version = 0;
  absl::Status status = Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<int64_t> read = ReadSchemaVersion(txn);
    if (!read.ok()) return read.status();
    version = *read;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return static_cast<int>(version);
}

}  // namespace clinicd::store
