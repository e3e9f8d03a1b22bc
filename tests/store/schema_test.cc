#include "services/store/schema.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/store/postgres_connection.h"

namespace clinicd::store {
namespace {

// PostgreSQL's migrations are run for real by tests/postgres/check_schema.sh;
// these are the checks that need no server.

TEST(SchemaTest, EveryMigrationHasPostgresText) {
  for (const Migration& migration : SchemaMigrations()) {
    EXPECT_FALSE(migration.postgres_sql.empty()) << "migration " << migration.version;
  }
}

// The backend sends every script through its ?N -> $N rewriting: a stray ?
// or an unbalanced quote (which would hide the rest from it) would change
// the DDL.
TEST(SchemaTest, PostgresTextSurvivesPlaceholderRewriting) {
  for (const Migration& migration : SchemaMigrations()) {
    EXPECT_EQ(internal::PostgresPlaceholders(migration.postgres_sql),
              std::string(migration.postgres_sql))
        << "migration " << migration.version;
  }
}

// SQLite has no such things; a PostgreSQL text that mentions them was pasted
// from the wrong column.
TEST(SchemaTest, PostgresTextIsNotSqlite) {
  for (const Migration& migration : SchemaMigrations()) {
    for (const char* sqlite_only : {"STRICT", "BLOB", "AUTOINCREMENT", "fts5", "INTEGER"}) {
      EXPECT_FALSE(absl::StrContains(migration.postgres_sql, sqlite_only))
          << "migration " << migration.version << " says " << sqlite_only;
    }
  }
}

}  // namespace
}  // namespace clinicd::store
