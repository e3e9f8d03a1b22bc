#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinicd::store {

enum class ValueKind;

namespace internal {
class Connection;
class Cursor;
}  // namespace internal

// A prepared statement borrowed from its connection's cache; it must not
// outlive the Database::Read or Database::Write call that prepared it.
//
// Binds are 1-based and chainable; a failed bind is remembered and returned
// by the next Step or Run, so call sites check one Status, not one per bind.
// Columns are 0-based.
class Statement final {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets the statement and clears its bindings, then hands it back to the
  // connection's cache: preparing the same SQL again costs no parsing.
  ~Statement();

  // Binds a 64-bit integer.
  Statement& Bind(int index, int64_t value);

  // Binds an int; without it, an int literal would be ambiguous between the
  // int64_t and double overloads.
  Statement& Bind(int index, int value);

  // Binds a REAL.
  Statement& Bind(int index, double value);

  // Binds an instant as INTEGER Unix microseconds (UTC); nanoseconds are
  // rounded down, which is finer than any clinical timestamp needs.
  Statement& Bind(int index, absl::Time value);

  // Binds UTF-8 text (copied); an empty view binds '', never NULL.
  Statement& BindText(int index, absl::string_view value);

  // Binds bytes (copied), NUL bytes included; an empty view binds x''.
  Statement& BindBlob(int index, absl::string_view value);

  // Binds SQL NULL.
  Statement& BindNull(int index);

  // Binds text, or NULL when `value` is empty: for optional proto strings,
  // where empty means "not set".
  Statement& BindOptionalText(int index, absl::string_view value);

  // Binds a list as one parameter, in the form the dialect's SQL takes
  // apart: on SQLite a JSON array, for `x IN (SELECT value FROM
  // json_each(?N))`; on PostgreSQL an array, for `x = ANY($N)`.
  Statement& BindTextList(int index, const std::vector<std::string>& values);
  Statement& BindIntList(int index, const std::vector<int64_t>& values);

  // Advances to the next row; true when a row is ready to read, false when
  // the statement has finished.
  absl::StatusOr<bool> Step();

  // Steps until the statement finishes, ignoring any rows, then rewinds it so
  // it can be re-bound and run again (bindings are kept until re-bound).
  absl::Status Run();

  // Rewinds to before the first row, keeping bindings, so a statement whose
  // rows were read with Step can be re-bound and stepped again.
  void Reset();

  // Reads an INTEGER column (0 for NULL).
  int64_t ColumnInt(int column) const;

  // Reads a REAL column (0.0 for NULL).
  double ColumnDouble(int column) const;

  // Reads a TEXT column ("" for NULL).
  std::string ColumnText(int column) const;

  // Reads a BLOB column with its exact bytes ("" for NULL).
  std::string ColumnBlob(int column) const;

  // Reads an instant stored by Bind(int, absl::Time) (the Unix epoch for
  // NULL; check ColumnIsNull when the column is optional).
  absl::Time ColumnTime(int column) const;

  // Tells NULL apart from 0 and "", which the typed getters cannot.
  bool ColumnIsNull(int column) const;

  // How many columns a row has, and what one holds in the current row.
  int ColumnCount() const;
  ValueKind ColumnKind(int column) const;

 private:
  friend class internal::Connection;

  // Wraps `cursor`, a cached statement of `connection`.
  Statement(internal::Connection* connection, internal::Cursor* cursor);

  // Remembers the first failing bind so the next Step reports it.
  Statement& CheckBind(absl::Status bound);

  // Gives the statement back to the connection's cache, if it still has one.
  void ReturnToCache();

  internal::Connection* connection_;
  internal::Cursor* cursor_;
  absl::Status bind_status_;
};

}  // namespace clinicd::store
