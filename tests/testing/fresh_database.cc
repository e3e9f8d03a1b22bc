#include "tests/testing/fresh_database.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace clinicd::test_util {
namespace {

constexpr char kUriEnv[] = "CLINICD_TEST_POSTGRES";
constexpr char kUriFileEnv[] = "CLINICD_TEST_POSTGRES_FILE";

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

bool IsPostgresUri(absl::string_view text) {
  return absl::StartsWith(text, "postgresql://") || absl::StartsWith(text, "postgres://");
}

using PgConnection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

absl::StatusOr<PgConnection> Connect(const std::string& uri) {
  PgConnection connection(PQconnectdb(uri.c_str()), PQfinish);
  if (connection == nullptr) return absl::ResourceExhaustedError("libpq: out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", uri, ": ", PQerrorMessage(connection.get())));
  }
  return connection;
}

// Runs `sql` on `connection`; the result when its status is `expected`.
absl::StatusOr<PgResult> Exec(PGconn* connection, const std::string& sql,
                              ExecStatusType expected) {
  PgResult result(PQexec(connection, sql.c_str()), PQclear);
  if (result == nullptr || PQresultStatus(result.get()) != expected) {
    return absl::InternalError(absl::StrCat(sql, ": ", PQerrorMessage(connection)));
  }
  return result;
}

absl::Status Command(const std::string& uri, const std::string& sql) {
  absl::StatusOr<PgConnection> connection = Connect(uri);
  if (!connection.ok()) return connection.status();
  return Exec(connection->get(), sql, PGRES_COMMAND_OK).status();
}

// clinicd_t_<pid>_<counter>_<random>: unique across the test processes
// ctest runs at once (pid), the databases of one process (counter) and a
// pid reused in a later run on the same cluster (random).
std::string UniqueName() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return absl::StrFormat("clinicd_t_%d_%d_%08x", getpid(), counter++,
                         static_cast<uint32_t>(random()));
}

absl::StatusOr<int64_t> QuerySqlite(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  if (opened != SQLITE_OK) {
    return absl::UnavailableError(absl::StrCat("cannot open ", path, ": ", sqlite3_errmsg(raw)));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_stmt* raw_statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_statement, nullptr) != SQLITE_OK) {
    return absl::InvalidArgumentError(absl::StrCat(sql, ": ", sqlite3_errmsg(db.get())));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw_statement,
                                                                   sqlite3_finalize);
  if (sqlite3_step(statement.get()) != SQLITE_ROW) {
    return absl::InternalError(absl::StrCat(sql, ": ", sqlite3_errmsg(db.get())));
  }
  return sqlite3_column_int64(statement.get(), 0);
}

absl::StatusOr<int64_t> QueryPostgres(const std::string& uri, const std::string& sql) {
  absl::StatusOr<PgConnection> connection = Connect(uri);
  if (!connection.ok()) return connection.status();
  absl::StatusOr<PgResult> result = Exec(connection->get(), sql, PGRES_TUPLES_OK);
  if (!result.ok()) return result.status();
  int64_t value = 0;
  if (PQntuples(result->get()) != 1 || PQnfields(result->get()) != 1 ||
      !absl::SimpleAtoi(PQgetvalue(result->get(), 0, 0), &value)) {
    return absl::InternalError(absl::StrCat(sql, ": not one integer"));
  }
  return value;
}

}  // namespace

bool UsingPostgres() { return !Env(kUriEnv).empty() || !Env(kUriFileEnv).empty(); }

absl::StatusOr<std::string> PostgresBaseUri() {
  std::string uri = Env(kUriEnv);
  const std::string file = Env(kUriFileEnv);
  if (uri.empty() && !file.empty()) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return absl::NotFoundError(absl::StrCat(kUriFileEnv, "=", file, ": cannot read it"));
    uri = std::string(absl::StripAsciiWhitespace(text.str()));
  }
  if (uri.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("neither ", kUriEnv, " nor ", kUriFileEnv, " is set"));
  }
  if (!IsPostgresUri(uri)) {
    return absl::InvalidArgumentError(absl::StrCat("not a postgresql:// URI: ", uri));
  }
  return uri;
}

std::string WithDatabase(absl::string_view uri, absl::string_view database) {
  const size_t scheme_end = uri.find("://");
  const size_t authority_start = scheme_end == absl::string_view::npos ? 0 : scheme_end + 3;
  const size_t authority_end = std::min(uri.find_first_of("/?", authority_start), uri.size());
  const size_t path_end = std::min(uri.find('?', authority_end), uri.size());
  return absl::StrCat(uri.substr(0, authority_end), "/", database, uri.substr(path_end));
}

absl::StatusOr<std::unique_ptr<FreshDatabase>> FreshDatabase::Create(const std::string& dir) {
  if (!UsingPostgres()) {
    return std::unique_ptr<FreshDatabase>(new FreshDatabase(dir + "/clinicd.db", "", ""));
  }
  absl::StatusOr<std::string> base_uri = PostgresBaseUri();
  if (!base_uri.ok()) return base_uri.status();
  const std::string name = UniqueName();
  if (absl::Status s = Command(*base_uri, absl::StrCat("CREATE DATABASE ", name,
                                                      " TEMPLATE template0 ENCODING 'UTF8'"
                                                      " LC_COLLATE 'C' LC_CTYPE 'C'"));
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<FreshDatabase>(
      new FreshDatabase(WithDatabase(*base_uri, name), name, *base_uri));
}

FreshDatabase::FreshDatabase(std::string db, std::string name, std::string base_uri)
    : db_(std::move(db)), name_(std::move(name)), base_uri_(std::move(base_uri)) {}

FreshDatabase::~FreshDatabase() {
  if (name_.empty()) return;
  // WITH (FORCE): a clinicd killed a moment ago may still have sessions open.
  const absl::Status dropped =
      Command(base_uri_, absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  if (!dropped.ok()) std::cerr << "FreshDatabase: " << dropped << "\n";
}

absl::StatusOr<int64_t> QueryInt(const std::string& db, const std::string& sql) {
  return IsPostgresUri(db) ? QueryPostgres(db, sql) : QuerySqlite(db, sql);
}

}  // namespace clinicd::test_util
