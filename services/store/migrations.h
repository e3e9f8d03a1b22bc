#pragma once

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/store/database.h"

namespace clinicd::store {

// One numbered schema change, in each dialect's DDL. Versions run 1..N in
// order, and the database records the newest one applied (schema_version.h
// says where). The SQL runs inside a transaction, so it must not BEGIN or
// COMMIT; on SQLite a table rebuild uses PRAGMA defer_foreign_keys = ON
// (foreign_keys = OFF is ignored there).
struct Migration {
  int version;
  absl::string_view description;
  // SQLite's text.
  absl::string_view sql;
  // PostgreSQL's text of the same version; empty for a list that only ever
  // meets SQLite (Migrate refuses to run it on PostgreSQL).
  absl::string_view postgres_sql = {};
};

// Returns the migrations `db` still lacks (a tail of `migrations`), so a
// `clinicd migrate` command can say what it is about to apply; fails as
// Migrate does on bad numbering or a database newer than `migrations`.
absl::StatusOr<absl::Span<const Migration>> PendingMigrations(
    const Database& db, absl::Span<const Migration> migrations);

// Applies the pending migrations and records the version, all in one write
// transaction: the database ends at the newest version or, on any failure,
// exactly as it was (PostgreSQL's DDL is transactional too). Two processes
// migrating at once apply each migration once between them. Rerunning is a
// no-op. Bad numbering, or a migration without text for the database's
// dialect, is kInternal (a clinicd bug); a database newer than `migrations`
// is kFailedPrecondition.
absl::Status Migrate(Database& db, absl::Span<const Migration> migrations);

}  // namespace clinicd::store
