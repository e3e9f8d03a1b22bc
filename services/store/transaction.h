#pragma once

#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/statement.h"

namespace clinicd::store {

class Database;

namespace internal {
class Connection;
}  // namespace internal

// One connection inside an open transaction, lent to the function passed to
// Database::Write or Database::Read; Database alone begins, commits and rolls
// back, so code holding a Transaction never issues BEGIN, COMMIT or ROLLBACK.
class Transaction final {
 public:
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Returns a cached prepared statement for one SQL statement; the text is
  // the cache key, so pass fixed SQL with ? parameters, never built strings.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // Runs a script of several statements with no parameters, such as the DDL
  // of a migration.
  absl::Status Exec(absl::string_view sql);

  // The rowid of the last INSERT in this transaction.
  int64_t LastInsertRowId() const;

  // Rows changed by the last INSERT, UPDATE or DELETE, e.g. to tell "updated"
  // from "no such row" after an UPDATE ... WHERE id = ?.
  int Changes() const;

 private:
  friend class Database;

  // Lends `connection`, on which Database has just begun a transaction.
  explicit Transaction(internal::Connection* connection);

  internal::Connection* connection_;
};

}  // namespace clinicd::store
