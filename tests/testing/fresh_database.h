#pragma once

// The database a test's clinicd runs on. By default a SQLite file in the
// test's folder; when the suites run against PostgreSQL (ctest's pg.* tests:
// CLINICD_TEST_POSTGRES_FILE names the file holding the test cluster's URI,
// or CLINICD_TEST_POSTGRES holds the URI itself), a database of its own on
// that cluster, created empty and dropped when the test ends.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinicd::test_util {

// True when this test runs against PostgreSQL. Tests that are about SQLite's
// files (mode 0600, WAL, `clinicd backup`, a full disk) skip themselves then.
bool UsingPostgres();

// The PostgreSQL cluster's base URI (a user allowed to create databases);
// an error when not UsingPostgres(), the file is unreadable or it holds no
// postgresql:// URI.
absl::StatusOr<std::string> PostgresBaseUri();

// `uri` (postgresql://[authority][/database][?parameters]) naming `database`.
std::string WithDatabase(absl::string_view uri, absl::string_view database);

// One test's database; on PostgreSQL, dropped with this object.
class FreshDatabase final {
 public:
  // On SQLite, `dir`/clinicd.db (clinicd creates it when it first opens it).
  // On PostgreSQL, creates clinicd_t_<pid>_<counter>_<random> (from
  // template0, UTF-8, C collation) on the cluster.
  static absl::StatusOr<std::unique_ptr<FreshDatabase>> Create(const std::string& dir);

  // Drops the PostgreSQL database, closing connections still open to it.
  ~FreshDatabase();

  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;

  // What clinicd's --db takes: the SQLite file's path or the database's URI.
  const std::string& db() const { return db_; }
  // The PostgreSQL database's name; empty on SQLite.
  const std::string& name() const { return name_; }

 private:
  FreshDatabase(std::string db, std::string name, std::string base_uri);

  std::string db_;
  std::string name_;
  std::string base_uri_;
};

// The one integer `sql` answers (e.g. a COUNT(*)) on `db`: a SQLite file
// (opened read-only) or a postgresql:// URI. For tests that check rows.
absl::StatusOr<int64_t> QueryInt(const std::string& db, const std::string& sql);

}  // namespace clinicd::test_util
