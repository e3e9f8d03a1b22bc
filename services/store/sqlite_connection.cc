#include "services/store/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store::internal {
namespace {

// Whether `tail`, the text after the first statement, holds no second one.
bool IsBlank(absl::string_view tail) {
  return tail.find_first_not_of(" \t\r\n;") == absl::string_view::npos;
}

// Returns a pointer SQLite will not read as "bind NULL": an empty view may
// carry a null data pointer, but an empty string is not a missing one.
const char* NonNullData(absl::string_view value) {
  return value.data() != nullptr ? value.data() : "";
}

// Copies `size` bytes at `data`, which SQLite returns as null for empty or
// NULL values.
std::string CopyBytes(const void* data, int size) {
  if (data == nullptr || size <= 0) return std::string();
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace

// A sqlite3_stmt, cached by its connection under the SQL text `*sql`.
class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(SqliteConnection* connection, const std::string* sql, sqlite3_stmt* stmt)
      : connection_(connection), sql_(sql), stmt_(stmt) {}
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }

  const std::string& sql() const { return *sql_; }

  // Rewinds and clears the bindings, for the cache.
  void Clear() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  absl::Status BindInt(int index, int64_t value) override {
    return Check(index, sqlite3_bind_int64(stmt_, index, value));
  }
  absl::Status BindDouble(int index, double value) override {
    return Check(index, sqlite3_bind_double(stmt_, index, value));
  }
  absl::Status BindText(int index, absl::string_view value) override {
    return Check(index, sqlite3_bind_text64(stmt_, index, NonNullData(value), value.size(),
                                            SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  absl::Status BindBlob(int index, absl::string_view value) override {
    return Check(index, sqlite3_bind_blob64(stmt_, index, NonNullData(value), value.size(),
                                            SQLITE_TRANSIENT));
  }
  absl::Status BindNull(int index) override { return Check(index, sqlite3_bind_null(stmt_, index)); }

  // A JSON array, for `x IN (SELECT value FROM json_each(?N))`: texts as
  // JSON strings (escaped), numbers as numbers, so they compare with TEXT
  // and INTEGER columns alike.
  absl::Status BindTextList(int index, const std::vector<std::string>& values) override {
    std::string json = "[";
    for (const std::string& value : values) {
      if (json.size() > 1) json += ',';
      json += '"';
      for (const char c : value) {
        if (c == '"' || c == '\\') {
          json += '\\';
          json += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&json, "\\u00", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          json += c;
        }
      }
      json += '"';
    }
    json += ']';
    return BindText(index, json);
  }
  absl::Status BindIntList(int index, const std::vector<int64_t>& values) override {
    return BindText(index, absl::StrCat("[", absl::StrJoin(values, ","), "]"));
  }

  absl::StatusOr<bool> Step() override {
    const int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return connection_->Error(code);
  }
  void Reset() override { sqlite3_reset(stmt_); }

  int64_t ColumnInt(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double ColumnDouble(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string ColumnText(int column) const override {
    // The pointer must be fetched before the size: asking for the size first
    // could convert the value after it was measured.
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return CopyBytes(text, sqlite3_column_bytes(stmt_, column));
  }
  std::string ColumnBlob(int column) const override {
    const void* blob = sqlite3_column_blob(stmt_, column);
    return CopyBytes(blob, sqlite3_column_bytes(stmt_, column));
  }
  bool ColumnIsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  ValueKind ColumnKind(int column) const override {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_INTEGER:
        return ValueKind::kInteger;
      case SQLITE_FLOAT:
        return ValueKind::kReal;
      case SQLITE_TEXT:
        return ValueKind::kText;
      case SQLITE_BLOB:
        return ValueKind::kBlob;
      default:
        return ValueKind::kNull;
    }
  }

 private:
  absl::Status Check(int index, int code) const {
    if (code == SQLITE_OK) return absl::OkStatus();
    return Annotate(connection_->Error(code), absl::StrCat("binding parameter ", index, ": "));
  }

  SqliteConnection* connection_;
  const std::string* sql_;
  sqlite3_stmt* stmt_;
};

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
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
  auto connection = std::make_unique<SqliteConnection>(db, path);
  const int64_t millis =
      std::clamp<int64_t>(absl::ToInt64Milliseconds(busy_timeout), 0, INT_MAX);
  const int timeout_code = sqlite3_busy_timeout(db, static_cast<int>(millis));
  if (timeout_code != SQLITE_OK) return connection->Error(timeout_code);
  return connection;
}

SqliteConnection::SqliteConnection(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {}

SqliteConnection::~SqliteConnection() {
  // Every statement is finalized before the handle closes.
  idle_.clear();
  cursors_.clear();
  sqlite3_close_v2(db_);
}

absl::Status SqliteConnection::Exec(absl::string_view sql) {
  const std::string script(sql);
  const int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : Error(code);
}

absl::StatusOr<Cursor*> SqliteConnection::PrepareCursor(absl::string_view sql) {
  auto slot = idle_.find(sql);
  if (slot != idle_.end() && !slot->second.empty()) {
    SqliteCursor* cursor = slot->second.back();
    slot->second.pop_back();
    return cursor;
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
      status = Annotate(status, absl::StrCat("preparing \"", sql, "\": "));
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
        absl::StrCat("Prepare takes one SQL statement (use Exec for scripts): ", sql));
  }
  if (slot == idle_.end()) {
    slot = idle_.emplace(std::string(sql), std::vector<SqliteCursor*>()).first;
  }
  cursors_.push_back(std::make_unique<SqliteCursor>(this, &slot->first, stmt));
  return cursors_.back().get();
}

void SqliteConnection::Release(Cursor* cursor) {
  auto* sqlite_cursor = static_cast<SqliteCursor*>(cursor);
  sqlite_cursor->Clear();
  idle_[sqlite_cursor->sql()].push_back(sqlite_cursor);
}

absl::Status SqliteConnection::Error(int code) const {
  return SqliteStatus(code, sqlite3_errmsg(db_), path_);
}

bool SqliteConnection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

absl::Status SqliteConnection::CheckDeferredForeignKeys() const {
  int current = 0;
  int highest = 0;
  if (sqlite3_db_status(db_, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, 0) != SQLITE_OK ||
      current == 0) {
    return absl::OkStatus();
  }
  return SqliteStatus(SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", path_);
}

int SqliteConnection::Changes() const { return sqlite3_changes(db_); }

}  // namespace clinicd::store::internal
