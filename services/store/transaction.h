#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/dialect.h"
#include "services/store/statement.h"

namespace clinicd::store {

namespace internal {
class Connection;
}  // namespace internal

// One connection inside an open transaction, lent to the function passed to
// Database::Write or Database::Read; the Database alone begins, commits and
// rolls back, so code holding a Transaction never issues BEGIN, COMMIT or
// ROLLBACK.
class Transaction final {
 public:
  // Lends `connection`, on which a Database has just begun a transaction;
  // only the store's Database implementations make one.
  explicit Transaction(internal::Connection* connection);

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // The SQL the database behind this transaction speaks.
  Dialect dialect() const;

  // Returns a cached prepared statement for one SQL statement; the text is
  // the cache key, so pass fixed SQL with ?N parameters, never built
  // strings. The text must mean the same in every dialect (PostgreSQL gets
  // ?N rewritten to $N).
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // The same, for a statement whose dialects need different text.
  absl::StatusOr<Statement> Prepare(const DialectSql& sql);

  // Runs a script of several statements with no parameters, such as the DDL
  // of a migration.
  absl::Status Exec(absl::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE, e.g. to tell "updated"
  // from "no such row" after an UPDATE ... WHERE id = ?.
  int Changes() const;

 private:
  internal::Connection* connection_;
};

}  // namespace clinicd::store
