#include "services/store/transaction.h"

#include "services/store/connection.h"

namespace clinicd::store {

Transaction::Transaction(internal::Connection* connection)
    : connection_(connection) {}

absl::StatusOr<Statement> Transaction::Prepare(absl::string_view sql) {
  return connection_->Prepare(sql);
}

absl::Status Transaction::Exec(absl::string_view sql) {
  return connection_->Exec(sql);
}

int64_t Transaction::LastInsertRowId() const {
  return connection_->LastInsertRowId();
}

int Transaction::Changes() const { return connection_->Changes(); }

}  // namespace clinicd::store
