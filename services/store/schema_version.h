#pragma once

// Where a database records which migrations it has. SQLite keeps the number
// in its header (PRAGMA user_version); PostgreSQL has no such slot, so it
// keeps a one-row table, schema_version, made by the first migration run.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/advisory_locks.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// The version recorded in `txn`'s snapshot: 0 for a database never
// migrated. Read-only, so a Read may call it.
absl::StatusOr<int64_t> ReadSchemaVersion(Transaction& txn);

// Makes `txn` (a write) the only migrator until it ends and returns the
// version. On PostgreSQL: takes the migration lock, creates schema_version
// if missing and locks its row; when another process migrated after `txn`'s
// snapshot was taken, fails with a serialization failure, which the backend
// answers by running the write again on a fresh snapshot. On SQLite the
// write transaction already excludes every other writer.
absl::StatusOr<int64_t> ClaimSchemaVersion(Transaction& txn);

// Records `version` as applied, in `txn` (after ClaimSchemaVersion).
absl::Status RecordSchemaVersion(Transaction& txn, int version);

namespace internal {

// PostgreSQL's bookkeeping statements, for the schema check
// (tests/postgres/check_schema.sh), which runs them in two sessions at once.
// The advisory lock is taken by a statement, and a REPEATABLE READ or
// SERIALIZABLE transaction's snapshot is taken when its first statement
// starts: a process that waited for the lock can hold a snapshot from before
// the other's migration committed. The row claim catches that: the
// conflicting row is one the snapshot cannot see, which PostgreSQL reports as
// a serialization failure (40001) rather than doing nothing.
inline constexpr const char* kPostgresTakeMigrationLock =
    "SELECT pg_advisory_xact_lock(" CLINICD_PG_LOCK_MIGRATIONS ")";
// 1 when schema_version exists. The catalog is read as of now, not as of the
// snapshot, so this sees a table another process created since.
inline constexpr const char* kPostgresHasVersionTable =
    "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END";
// The unique index on a constant lets the table hold one row at most.
inline constexpr const char* kPostgresCreateVersionTable =
    "CREATE TABLE schema_version (version integer NOT NULL); "
    "CREATE UNIQUE INDEX schema_version_one_row ON schema_version ((true))";
inline constexpr const char* kPostgresClaimVersionRow =
    "INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING";
// Locking the row also fails with 40001 if another process changed it since
// the snapshot.
inline constexpr const char* kPostgresLockedVersion =
    "SELECT version FROM schema_version FOR UPDATE";
inline constexpr const char* kPostgresReadVersion =
    "SELECT coalesce(max(version), 0) FROM schema_version";
inline constexpr const char* kPostgresRecordVersion = "UPDATE schema_version SET version = ?1";

}  // namespace internal

}  // namespace clinicd::store
