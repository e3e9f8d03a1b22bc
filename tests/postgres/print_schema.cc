// clinicd-print-schema: prints clinicd's migrations and statements as the
// built server holds them, so check_schema.sh can run exactly those with psql.
//
//   clinicd-print-schema --dialect=postgres     every migration, in order
//   clinicd-print-schema --dialect=sqlite
//   clinicd-print-schema --statement=NAME       one of PostgreSQL's
//                                               schema_version statements
//   clinicd-print-schema --store-statements     a psql script that PREPAREs the
//                                               store's PostgreSQL variants and
//                                               EXPLAINs each with sample values

#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/store/dialect.h"
#include "services/store/migrations.h"
#include "services/store/schema.h"
#include "services/store/schema_version.h"
#include "tests/postgres/recording_connection.h"
#include "tests/postgres/store_statements.h"

namespace {

using clinicd::store::Dialect;
using clinicd::store::Migration;
namespace statements = clinicd::store::internal;

constexpr std::pair<absl::string_view, const char*> kStatements[] = {
    {"take_migration_lock", statements::kPostgresTakeMigrationLock},
    {"has_version_table", statements::kPostgresHasVersionTable},
    {"create_version_table", statements::kPostgresCreateVersionTable},
    {"claim_version_row", statements::kPostgresClaimVersionRow},
    {"locked_version", statements::kPostgresLockedVersion},
    {"read_version", statements::kPostgresReadVersion},
};

int Usage() {
  std::cerr << "usage: clinicd-print-schema --dialect=postgres|sqlite\n"
               "       clinicd-print-schema --store-statements\n"
               "       clinicd-print-schema --statement=NAME   (NAME: ";
  for (const auto& [name, sql] : kStatements) std::cerr << name << " ";
  std::cerr << ")\n";
  return 2;
}

// Each migration as a comment naming it, then its text; psql runs the whole
// output as one script.
void PrintMigrations(Dialect dialect) {
  for (const Migration& migration : clinicd::store::SchemaMigrations()) {
    std::cout << "-- clinicd migration " << migration.version << ": " << migration.description
              << "\n"
              << (dialect == Dialect::kPostgres ? migration.postgres_sql : migration.sql) << "\n";
  }
}

// Each statement the store prepares, as PostgreSQL would get it: PREPARE
// (one line, so a script can pick one out by name) with untyped parameters,
// so the server must infer every type from the text as it does for the
// backend; then the plan with these values, run (EXPLAIN ANALYZE), and the
// generic plan a cached statement falls back to. `=== ` lines start each
// plan, for the script to check.
int PrintStoreStatements() {
  clinicd::testing::RecordingConnection connection;
  if (absl::Status status = clinicd::testing::RecordStoreStatements(connection); !status.ok()) {
    std::cerr << "clinicd-print-schema: " << status << "\n";
    return 1;
  }
  std::string label;
  int index = 0;
  for (const clinicd::testing::RecordedStatement& statement : connection.statements()) {
    index = statement.label == label ? index + 1 : 1;
    label = statement.label;
    const std::string name = absl::StrCat(label, "_", index);
    const std::string execute =
        absl::StrCat("EXECUTE ", name, "(", absl::StrJoin(statement.params, ", "), ")");
    std::cout << "PREPARE " << name << " AS " << statement.sql << ";\n"
              << "\\echo === " << name << " custom\n"
              << "SET plan_cache_mode = force_custom_plan;\n"
              << "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " << execute << ";\n"
              << "\\echo === " << name << " generic\n"
              << "SET plan_cache_mode = force_generic_plan;\n"
              << "EXPLAIN (COSTS OFF) " << execute << ";\n"
              << "RESET plan_cache_mode;\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Usage();
  absl::string_view arg = argv[1];
  if (arg == "--dialect=postgres") {
    PrintMigrations(Dialect::kPostgres);
    return 0;
  }
  if (arg == "--dialect=sqlite") {
    PrintMigrations(Dialect::kSqlite);
    return 0;
  }
  if (arg == "--store-statements") return PrintStoreStatements();
  if (absl::ConsumePrefix(&arg, "--statement=")) {
    for (const auto& [name, sql] : kStatements) {
      if (name == arg) {
        std::cout << sql << ";\n";
        return 0;
      }
    }
  }
  return Usage();
}
