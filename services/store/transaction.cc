#include "services/store/transaction.h"

#include "services/store/connection.h"

namespace clinicd::store {

Transaction::Transaction(internal::Connection* connection)
    : connection_(connection) {}

Dialect Transaction::dialect() const { return connection_->dialect(); }

absl::StatusOr<Statement> Transaction::Prepare(absl::string_view sql) {
  return connection_->Prepare(sql);
}

absl::StatusOr<Statement> Transaction::Prepare(const DialectSql& sql) {
  return connection_->Prepare(sql.For(connection_->dialect()));
}

absl::Status Transaction::Exec(absl::string_view sql) {
  return connection_->Exec(sql);
}

int Transaction::Changes() const { return connection_->Changes(); }

}  // namespace clinicd::store
