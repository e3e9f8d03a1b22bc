#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Internal to clinic_store: feature code reaches a cursor only through
// Statement.
namespace clinicd::store {

// What a column of the current row holds, for code that copies rows
// without knowing their tables (moving a clinic between databases).
enum class ValueKind { kNull, kInteger, kReal, kText, kBlob };

}  // namespace clinicd::store

namespace clinicd::store::internal {

// One prepared statement of one connection, as a backend implements it:
// SQLite steps a sqlite3_stmt; PostgreSQL sends the bound values and walks
// the result. Statement (binding by parameter number from 1, columns from 0,
// errors remembered until Step) is the same over every backend.
class Cursor {
 public:
  virtual ~Cursor() = default;

  virtual absl::Status BindInt(int index, int64_t value) = 0;
  virtual absl::Status BindDouble(int index, double value) = 0;
  // Text and bytes are copied; an empty view binds an empty value, not NULL.
  virtual absl::Status BindText(int index, absl::string_view value) = 0;
  virtual absl::Status BindBlob(int index, absl::string_view value) = 0;
  virtual absl::Status BindNull(int index) = 0;
  // A list as one parameter, in the form the dialect's SQL takes it apart:
  // a JSON array for SQLite's json_each, an array for PostgreSQL's ANY.
  virtual absl::Status BindTextList(int index, const std::vector<std::string>& values) = 0;
  virtual absl::Status BindIntList(int index, const std::vector<int64_t>& values) = 0;

  // Runs the statement on its first call after a bind or Reset, then moves
  // row by row: true while a row is ready to read.
  virtual absl::StatusOr<bool> Step() = 0;
  // Back to before the first row, bindings kept.
  virtual void Reset() = 0;

  // The current row's columns; NULL reads as 0, 0.0 or "".
  virtual int64_t ColumnInt(int column) const = 0;
  virtual double ColumnDouble(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual std::string ColumnBlob(int column) const = 0;
  virtual bool ColumnIsNull(int column) const = 0;
  virtual int ColumnCount() const = 0;
  virtual ValueKind ColumnKind(int column) const = 0;
};

}  // namespace clinicd::store::internal
