#include "services/store/schema_version.h"

#include "absl/strings/str_cat.h"

namespace clinicd::store {
namespace {

// The first column of the one row `sql` answers (0 when it answers none).
absl::StatusOr<int64_t> QueryInt(Transaction& txn, const char* sql) {
  absl::StatusOr<Statement> statement = txn.Prepare(sql);
  if (!statement.ok()) return statement.status();
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  return *row ? statement->ColumnInt(0) : 0;
}

// Runs a statement whose rows, if any, say nothing.
absl::Status Run(Transaction& txn, const char* sql) {
  absl::StatusOr<Statement> statement = txn.Prepare(sql);
  if (!statement.ok()) return statement.status();
  return statement->Run();
}

}  // namespace

absl::StatusOr<int64_t> ReadSchemaVersion(Transaction& txn) {
  if (txn.dialect() == Dialect::kSqlite) return QueryInt(txn, "PRAGMA user_version");
  absl::StatusOr<int64_t> exists = QueryInt(txn, internal::kPostgresHasVersionTable);
  if (!exists.ok()) return exists.status();
  if (*exists == 0) return 0;
  return QueryInt(txn, internal::kPostgresReadVersion);
}

absl::StatusOr<int64_t> ClaimSchemaVersion(Transaction& txn) {
  if (txn.dialect() == Dialect::kSqlite) return QueryInt(txn, "PRAGMA user_version");
  if (absl::Status s = Run(txn, internal::kPostgresTakeMigrationLock); !s.ok()) return s;
  absl::StatusOr<int64_t> exists = QueryInt(txn, internal::kPostgresHasVersionTable);
  if (!exists.ok()) return exists.status();
  // Under the lock nobody else creates it, so checking first is safe, and it
  // spares every later start the NOTICE of CREATE ... IF NOT EXISTS.
  if (*exists == 0) {
    if (absl::Status s = txn.Exec(internal::kPostgresCreateVersionTable); !s.ok()) return s;
  }
  if (absl::Status s = Run(txn, internal::kPostgresClaimVersionRow); !s.ok()) return s;
  return QueryInt(txn, internal::kPostgresLockedVersion);
}

absl::Status RecordSchemaVersion(Transaction& txn, int version) {
  if (txn.dialect() == Dialect::kSqlite) {
    return txn.Exec(absl::StrCat("PRAGMA user_version = ", version));
  }
  absl::StatusOr<Statement> statement = txn.Prepare(internal::kPostgresRecordVersion);
  if (!statement.ok()) return statement.status();
  statement->Bind(1, version);
  return statement->Run();
}

}  // namespace clinicd::store
