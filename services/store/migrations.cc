#include "services/store/migrations.h"

#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/store/schema_version.h"
#include "services/store/store_errors.h"

namespace clinicd::store {
namespace {

// Refuses a list that is not numbered 1..N, which would make the recorded
// version ambiguous; this is a programming error in clinicd, hence kInternal.
absl::Status CheckNumbering(absl::Span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return absl::InternalError(absl::StrCat(
          "migration \"", migrations[i].description,
          "\" has version ", migrations[i].version, " at position ", expected,
          "; versions must run 1..N without gaps"));
    }
  }
  return absl::OkStatus();
}

// Checks the `version` a database records against `migrations` and returns
// how many of them it already has, refusing a schema this clinicd does not
// know.
absl::StatusOr<size_t> AppliedCount(int64_t version, const std::string& path,
                                    absl::Span<const Migration> migrations) {
  if (version < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": database schema version ", version, " is invalid"));
  }
  if (static_cast<uint64_t>(version) > migrations.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": database schema version ", version,
        " is newer than this clinicd (knows up to ", migrations.size(), ")"));
  }
  return static_cast<size_t>(version);
}

// Runs one migration in `txn`'s dialect and records its version in the same
// transaction.
absl::Status Apply(Transaction& txn, const Migration& migration) {
  const std::string context =
      absl::StrCat("migration ", migration.version, " (",
                   migration.description, "): ");
  absl::string_view sql = migration.sql;
  if (txn.dialect() == Dialect::kPostgres) {
    sql = migration.postgres_sql;
    if (sql.empty()) return absl::InternalError(absl::StrCat(context, "has no PostgreSQL text"));
  }
  if (absl::Status status = txn.Exec(sql); !status.ok()) {
    return internal::Annotate(status, context);
  }
  return internal::Annotate(RecordSchemaVersion(txn, migration.version), context);
}

}  // namespace

absl::StatusOr<absl::Span<const Migration>> PendingMigrations(
    const Database& db, absl::Span<const Migration> migrations) {
  if (absl::Status status = CheckNumbering(migrations); !status.ok()) {
    return status;
  }
  size_t applied = 0;
  absl::Status status = db.Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<int64_t> version = ReadSchemaVersion(txn);
    if (!version.ok()) return version.status();
    absl::StatusOr<size_t> count = AppliedCount(*version, db.path(), migrations);
    if (!count.ok()) return count.status();
    applied = *count;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return migrations.subspan(applied);
}

absl::Status Migrate(Database& db, absl::Span<const Migration> migrations) {
  if (absl::Status status = CheckNumbering(migrations); !status.ok()) {
    return status;
  }
  // The version is claimed inside the write transaction, so two processes
  // migrating at once apply each migration exactly once between them.
  return db.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<int64_t> version = ClaimSchemaVersion(txn);
    if (!version.ok()) return version.status();
    absl::StatusOr<size_t> applied = AppliedCount(*version, db.path(), migrations);
    if (!applied.ok()) return applied.status();
    for (const Migration& migration : migrations.subspan(*applied)) {
      if (absl::Status status = Apply(txn, migration); !status.ok()) {
        return status;
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace clinicd::store
