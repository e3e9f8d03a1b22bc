#pragma once

#include "absl/strings/string_view.h"

namespace clinicd::store {

// The SQL a database speaks. Most statements are written once, in the
// subset both understand, with ?N parameters (rewritten to $N for
// PostgreSQL); the few that cannot be (SQLite's INDEXED BY and json_each,
// FTS5, PostgreSQL's arrays and ranges) give each dialect its own text.
enum class Dialect { kSqlite, kPostgres };

// One statement in both dialects, for Transaction::Prepare.
struct DialectSql {
  absl::string_view sqlite;
  absl::string_view postgres;

  absl::string_view For(Dialect dialect) const {
    return dialect == Dialect::kSqlite ? sqlite : postgres;
  }
};

}  // namespace clinicd::store
