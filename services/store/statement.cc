#include "services/store/statement.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/connection.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store {
namespace {

// Returned when a moved-from Statement is used, instead of crashing.
absl::Status MovedFromError() {
  return absl::FailedPreconditionError("statement was moved from");
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

Statement::Statement(internal::Connection* connection, const std::string* sql,
                     sqlite3_stmt* stmt)
    : connection_(connection), sql_(sql), stmt_(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      sql_(std::exchange(other.sql_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    ReturnToCache();
    connection_ = std::exchange(other.connection_, nullptr);
    sql_ = std::exchange(other.sql_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

Statement::~Statement() { ReturnToCache(); }

void Statement::ReturnToCache() {
  if (stmt_ == nullptr) return;
  connection_->Release(*sql_, stmt_);
  stmt_ = nullptr;
}

Statement& Statement::CheckBind(int index, int code) {
  if (code == SQLITE_OK || !bind_status_.ok()) return *this;
  if (connection_ == nullptr) {
    bind_status_ = MovedFromError();
  } else {
    bind_status_ =
        internal::Annotate(connection_->Error(code),
                           absl::StrCat("binding parameter ", index, ": "));
  }
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  return CheckBind(index, sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::Bind(int index, int value) {
  return Bind(index, static_cast<int64_t>(value));
}

Statement& Statement::Bind(int index, double value) {
  return CheckBind(index, sqlite3_bind_double(stmt_, index, value));
}

Statement& Statement::Bind(int index, absl::Time value) {
  return Bind(index, absl::ToUnixMicros(value));
}

Statement& Statement::BindText(int index, absl::string_view value) {
  return CheckBind(
      index, sqlite3_bind_text64(stmt_, index, NonNullData(value), value.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8));
}

Statement& Statement::BindBlob(int index, absl::string_view value) {
  return CheckBind(index, sqlite3_bind_blob64(stmt_, index, NonNullData(value),
                                              value.size(), SQLITE_TRANSIENT));
}

Statement& Statement::BindNull(int index) {
  return CheckBind(index, sqlite3_bind_null(stmt_, index));
}

Statement& Statement::BindOptionalText(int index, absl::string_view value) {
  return value.empty() ? BindNull(index) : BindText(index, value);
}

Statement& Statement::BindTextList(int index, const std::vector<std::string>& values) {
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

Statement& Statement::BindIntList(int index, const std::vector<int64_t>& values) {
  return BindText(index, absl::StrCat("[", absl::StrJoin(values, ","), "]"));
}

absl::StatusOr<bool> Statement::Step() {
  if (stmt_ == nullptr) return MovedFromError();
  if (!bind_status_.ok()) return bind_status_;
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return connection_->Error(code);
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  while (row.ok() && *row) row = Step();
  Reset();
  return row.status();
}

void Statement::Reset() {
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  // The pointer must be fetched before the size: asking for the size first
  // could convert the value after it was measured.
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return CopyBytes(text, sqlite3_column_bytes(stmt_, column));
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  return CopyBytes(blob, sqlite3_column_bytes(stmt_, column));
}

absl::Time Statement::ColumnTime(int column) const {
  return absl::FromUnixMicros(sqlite3_column_int64(stmt_, column));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace clinicd::store
