#include "services/store/connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store::internal {
namespace {

// Whether `tail`, the text after the first statement, holds no second one.
bool IsBlank(absl::string_view tail) {
  return tail.find_first_not_of(" \t\r\n;") == absl::string_view::npos;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, bool create, absl::Duration busy_timeout) {
  int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (create) {
    flags |= SQLITE_OPEN_CREATE;
    // The file holds patient records and key hashes: only its owner may
    // read it. SQLite would create it 0644 (less the umask); made here
    // first, it is 0600, and SQLite gives its -wal and -shm files the same
    // mode. An existing file keeps the mode its operator chose.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (code != SQLITE_OK) {
    absl::Status status = SqliteStatus(
        code, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code), path);
    sqlite3_close_v2(db);
    return status;
  }
  auto connection = std::make_unique<Connection>(db, path);
  const int64_t millis =
      std::clamp<int64_t>(absl::ToInt64Milliseconds(busy_timeout), 0, INT_MAX);
  const int timeout_code = sqlite3_busy_timeout(db, static_cast<int>(millis));
  if (timeout_code != SQLITE_OK) return connection->Error(timeout_code);
  return connection;
}

Connection::Connection(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {}

Connection::~Connection() {
  for (auto& entry : idle_) {
    for (sqlite3_stmt* stmt : entry.second) sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

absl::Status Connection::Exec(absl::string_view sql) {
  const std::string script(sql);
  const int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : Error(code);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  auto slot = idle_.find(sql);
  if (slot != idle_.end() && !slot->second.empty()) {
    sqlite3_stmt* stmt = slot->second.back();
    slot->second.pop_back();
    return Statement(this, &slot->first, stmt);
  }
  if (sql.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("SQL text is too long to prepare");
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int code =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (code != SQLITE_OK) {
    absl::Status status = Error(code);
    // Name the SQL for mistakes in it, but leave a busy error's fixed
    // message alone.
    if (absl::IsInternal(status)) {
      status =
          Annotate(status, absl::StrCat("preparing \"", sql, "\": "));
    }
    return status;
  }
  if (stmt == nullptr) {
    return absl::InvalidArgumentError("no SQL statement to prepare");
  }
  const size_t used = static_cast<size_t>(tail - sql.data());
  if (!IsBlank(sql.substr(used))) {
    sqlite3_finalize(stmt);
    return absl::InvalidArgumentError(
        absl::StrCat("Prepare takes one SQL statement (use Exec for scripts): ",
                     sql));
  }
  if (slot == idle_.end()) {
    slot = idle_.emplace(std::string(sql), std::vector<sqlite3_stmt*>()).first;
  }
  return Statement(this, &slot->first, stmt);
}

void Connection::Release(const std::string& sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  idle_[sql].push_back(stmt);
}

absl::Status Connection::Error(int code) const {
  return SqliteStatus(code, sqlite3_errmsg(db_), path_);
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

absl::Status Connection::CheckDeferredForeignKeys() const {
  int current = 0;
  int highest = 0;
  if (sqlite3_db_status(db_, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, 0) != SQLITE_OK ||
      current == 0) {
    return absl::OkStatus();
  }
  return SqliteStatus(SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", path_);
}

int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int Connection::Changes() const { return sqlite3_changes(db_); }

}  // namespace clinicd::store::internal
