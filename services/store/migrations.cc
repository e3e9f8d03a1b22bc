#include "services/store/migrations.h"

#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store {
namespace {

// Refuses a list that is not numbered 1..N, which would make user_version
// ambiguous; this is a programming error in clinicd, hence kInternal.
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

// Reads user_version in `txn` and returns how many of `migrations` the
// database already has, refusing a schema this clinicd does not know.
absl::StatusOr<size_t> AppliedCount(Transaction& txn, const std::string& path,
                                    absl::Span<const Migration> migrations) {
  absl::StatusOr<Statement> statement = txn.Prepare("PRAGMA user_version");
  if (!statement.ok()) return statement.status();
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  const int64_t version = statement->ColumnInt(0);
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

// Runs one migration and records its version in the same transaction.
absl::Status Apply(Transaction& txn, const Migration& migration) {
  const std::string context =
      absl::StrCat("migration ", migration.version, " (",
                   migration.description, "): ");
  if (absl::Status status = txn.Exec(migration.sql); !status.ok()) {
    return internal::Annotate(status, context);
  }
  return internal::Annotate(
      txn.Exec(absl::StrCat("PRAGMA user_version = ", migration.version)),
      context);
}

}  // namespace

absl::StatusOr<absl::Span<const Migration>> PendingMigrations(
    const Database& db, absl::Span<const Migration> migrations) {
  if (absl::Status status = CheckNumbering(migrations); !status.ok()) {
    return status;
  }
  size_t applied = 0;
  absl::Status status = db.Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<size_t> count = AppliedCount(txn, db.path(), migrations);
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
  // The version is read inside the write transaction, so two processes
  // migrating at once apply each migration exactly once between them.
  return db.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<size_t> applied = AppliedCount(txn, db.path(), migrations);
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
